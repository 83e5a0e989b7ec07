// The sample regions' choice systems besides primary care (detail/regions.hpp, SchemeProfile).
// From the sources (docs/reference/cli.md, "likvard sample"): SE-Z dental care 3-23 with the
// public dental service and 25 private clinics at about 63 MSEK, foot care with 24 private
// providers inside the primary-care budget, 23 physiotherapists under LOF at about 22 MSEK
// from a central budget of 21 MSEK (RS/554/2019; the sources disagree, 21 or 22); SE-AC dental
// care with 31 public and 10 private clinics at about 117 MSEK, about 1 % listed privately, and
// the public dental service alone paid for 0-2 years, area responsibility and public-health
// work. Everything else (names of private providers, prices, counts, SE-AC's physiotherapy and
// the whole of SE-E) is invented; the place names are real.
#include "sample/detail/regions.hpp"

namespace likvard::sample_detail {
namespace {

constexpr bool run = false;
constexpr bool priv = true;

std::vector<UnitRow> jamtland_dental_units() {
    return {
        {"ftv-odenslund", "Folktandvården Odenslund", run, "Östersund", 20},
        {"ftv-lugnvik", "Folktandvården Lugnvik", run, "Östersund", 57},
        {"ftv-brunflo", "Folktandvården Brunflo", run, "Östersund", 33},
        {"ftv-krokom", "Folktandvården Krokom", run, "Jämtland norr", 70},
        {"ftv-stromsund", "Folktandvården Strömsund", run, "Jämtland norr", 46},
        {"ftv-jarpen", "Folktandvården Järpen", run, "Jämtland norr", 22},
        {"ftv-bracke", "Folktandvården Bräcke", run, "Jämtland söder", 59},
        {"ftv-svenstavik", "Folktandvården Svenstavik", run, "Jämtland söder", 35},
        {"ftv-sveg", "Folktandvården Sveg", run, "Härjedalen", 72},
        {"ftv-funasdalen", "Folktandvården Funäsdalen", run, "Härjedalen", 48},
        {"tdl-ostersunds-tandklinik", "Östersunds tandklinik (invented)", priv, "", 35},
        {"tdl-storsjotandlakarna", "Storsjötandläkarna (invented)", priv, "", 72},
        {"tdl-tandhalsan-ostersund", "Tandhälsan Östersund (invented)", priv, "", 48},
        {"tdl-jamtlandstandlakarna", "Jämtlandstandläkarna (invented)", priv, "", 24},
        {"tdl-tandvardshuset-ostersund", "Tandvårdshuset Östersund (invented)", priv, "", 61},
        {"tdl-froso-tandlakare", "Frösö tandläkare (invented)", priv, "", 37},
        {"tdl-odenslunds-tandlakare", "Odenslunds tandläkare (invented)", priv, "", 74},
        {"tdl-centrumtandlakarna-ostersund", "Centrumtandläkarna Östersund (invented)", priv, "", 50},
        {"tdl-brunflo-tandvard", "Brunflo tandvård (invented)", priv, "", 26},
        {"tdl-krokoms-tandlakare", "Krokoms tandläkare (invented)", priv, "", 63},
        {"tdl-stromsunds-tandvard", "Strömsunds tandvård (invented)", priv, "", 39},
        {"tdl-are-tandklinik", "Åre tandklinik (invented)", priv, "", 76},
        {"tdl-jarpens-tandlakare", "Järpens tandläkare (invented)", priv, "", 52},
        {"tdl-svegs-tandvard", "Svegs tandvård (invented)", priv, "", 28},
        {"tdl-hammarstrands-tandlakare", "Hammarstrands tandläkare (invented)", priv, "", 65},
        {"tdl-bracke-tandvard", "Bräcke tandvård (invented)", priv, "", 41},
        {"tdl-lits-tandlakare", "Lits tandläkare (invented)", priv, "", 78},
        {"tdl-hammerdals-tandvard", "Hammerdals tandvård (invented)", priv, "", 54},
        {"tdl-funasdalens-tandklinik", "Funäsdalens tandklinik (invented)", priv, "", 30},
        {"tdl-hede-tandvard", "Hede tandvård (invented)", priv, "", 67},
        {"tdl-follinge-tandlakare", "Föllinge tandläkare (invented)", priv, "", 43},
        {"tdl-svenstaviks-tandvard", "Svenstaviks tandvård (invented)", priv, "", 80},
        {"tdl-gallo-tandlakare", "Gällö tandläkare (invented)", priv, "", 56},
        {"tdl-duveds-tandklinik", "Duveds tandklinik (invented)", priv, "", 32},
        {"tdl-torvalla-tandlakare", "Torvalla tandläkare (invented)", priv, "", 69},
    };
}

std::vector<UnitRow> vasterbotten_dental_units() {
    return {
        {"ftv-alidhem", "Folktandvården Ålidhem", run, "Umeå", 20},
        {"ftv-mariehem", "Folktandvården Mariehem", run, "Umeå", 57},
        {"ftv-ersboda", "Folktandvården Ersboda", run, "Umeå", 33},
        {"ftv-teg", "Folktandvården Teg", run, "Umeå", 70},
        {"ftv-carlshem", "Folktandvården Carlshem", run, "Umeå", 46},
        {"ftv-savar", "Folktandvården Sävar", run, "Umeå", 22},
        {"ftv-holmsund", "Folktandvården Holmsund", run, "Umeå", 59},
        {"ftv-hornefors", "Folktandvården Hörnefors", run, "Umeå", 35},
        {"ftv-vannas", "Folktandvården Vännäs", run, "Umeå", 72},
        {"ftv-vindeln", "Folktandvården Vindeln", run, "Umeå", 48},
        {"ftv-robertsfors", "Folktandvården Robertsfors", run, "Umeå", 24},
        {"ftv-nordmaling", "Folktandvården Nordmaling", run, "Umeå", 61},
        {"ftv-bjurholm", "Folktandvården Bjurholm", run, "Umeå", 37},
        {"ftv-skelleftea-centrum", "Folktandvården Skellefteå centrum", run, "Skellefteå", 74},
        {"ftv-norrbole", "Folktandvården Norrböle", run, "Skellefteå", 50},
        {"ftv-anderstorp", "Folktandvården Anderstorp", run, "Skellefteå", 26},
        {"ftv-kage", "Folktandvården Kåge", run, "Skellefteå", 63},
        {"ftv-burea", "Folktandvården Bureå", run, "Skellefteå", 39},
        {"ftv-byske", "Folktandvården Byske", run, "Skellefteå", 76},
        {"ftv-jorn", "Folktandvården Jörn", run, "Skellefteå", 52},
        {"ftv-boliden", "Folktandvården Boliden", run, "Skellefteå", 28},
        {"ftv-burtrask", "Folktandvården Burträsk", run, "Skellefteå", 65},
        {"ftv-norsjo", "Folktandvården Norsjö", run, "Skellefteå", 41},
        {"ftv-lycksele", "Folktandvården Lycksele", run, "Södra Lappland", 78},
        {"ftv-dorotea", "Folktandvården Dorotea", run, "Södra Lappland", 54},
        {"ftv-vilhelmina", "Folktandvården Vilhelmina", run, "Södra Lappland", 30},
        {"ftv-asele", "Folktandvården Åsele", run, "Södra Lappland", 67},
        {"ftv-storuman", "Folktandvården Storuman", run, "Södra Lappland", 43},
        {"ftv-sorsele", "Folktandvården Sorsele", run, "Södra Lappland", 80},
        {"ftv-mala", "Folktandvården Malå", run, "Södra Lappland", 56},
        {"ftv-tarnaby", "Folktandvården Tärnaby", run, "Södra Lappland", 32},
        {"tdl-umea-tandlakarhus", "Umeå tandläkarhus (invented)", priv, "", 35},
        {"tdl-tandlakarna-vid-vasaplan", "Tandläkarna vid Vasaplan (invented)", priv, "", 72},
        {"tdl-alidhems-privattandlakare", "Ålidhems privattandläkare (invented)", priv, "", 48},
        {"tdl-tandhalsan-umea", "Tandhälsan Umeå (invented)", priv, "", 24},
        {"tdl-skelleftea-tandlakarcentrum", "Skellefteå tandläkarcentrum (invented)", priv, "", 61},
        {"tdl-tandvardskliniken-skelleftea", "Tandvårdskliniken Skellefteå (invented)", priv, "", 37},
        {"tdl-lycksele-tandlakare", "Lycksele tandläkare (invented)", priv, "", 74},
        {"tdl-holmsunds-privattandvard", "Holmsunds privattandvård (invented)", priv, "", 50},
        {"tdl-vannas-tandlakare", "Vännäs tandläkare (invented)", priv, "", 26},
        {"tdl-norrlandstandlakarna", "Norrlandstandläkarna (invented)", priv, "", 63},
    };
}

std::vector<UnitRow> jamtland_foot_care_units() {
    return {
        {"fot-fotvardskliniken-ostersund", "Fotvårdskliniken Östersund (invented)", priv, "", 35},
        {"fot-medicinsk-fotvard-ostersund", "Medicinsk fotvård Östersund (invented)", priv, "", 72},
        {"fot-fotterapeuterna-ostersund", "Fotterapeuterna Östersund (invented)", priv, "", 48},
        {"fot-storsjons-fotvard", "Storsjöns fotvård (invented)", priv, "", 24},
        {"fot-fothalsan-ostersund", "Fothälsan Östersund (invented)", priv, "", 61},
        {"fot-fotvarden-odenslund", "Fotvården Odenslund (invented)", priv, "", 37},
        {"fot-froso-fotvard", "Frösö fotvård (invented)", priv, "", 74},
        {"fot-brunflo-fotvard", "Brunflo fotvård (invented)", priv, "", 50},
        {"fot-krokoms-fotvard", "Krokoms fotvård (invented)", priv, "", 26},
        {"fot-stromsunds-fotvard", "Strömsunds fotvård (invented)", priv, "", 63},
        {"fot-hammerdals-fotvard", "Hammerdals fotvård (invented)", priv, "", 39},
        {"fot-hotings-fotvard", "Hotings fotvård (invented)", priv, "", 76},
        {"fot-follinge-fotvard", "Föllinge fotvård (invented)", priv, "", 52},
        {"fot-jarpens-fotvard", "Järpens fotvård (invented)", priv, "", 28},
        {"fot-are-fotvard", "Åre fotvård (invented)", priv, "", 65},
        {"fot-svenstaviks-fotvard", "Svenstaviks fotvård (invented)", priv, "", 41},
        {"fot-hammarstrands-fotvard", "Hammarstrands fotvård (invented)", priv, "", 78},
        {"fot-bracke-fotvard", "Bräcke fotvård (invented)", priv, "", 54},
        {"fot-gallo-fotvard", "Gällö fotvård (invented)", priv, "", 30},
        {"fot-svegs-fotvard", "Svegs fotvård (invented)", priv, "", 67},
        {"fot-funasdalens-fotvard", "Funäsdalens fotvård (invented)", priv, "", 43},
        {"fot-hede-fotvard", "Hede fotvård (invented)", priv, "", 80},
        {"fot-lits-fotvard", "Lits fotvård (invented)", priv, "", 56},
        {"fot-duveds-fotvard", "Duveds fotvård (invented)", priv, "", 32},
    };
}

std::vector<UnitRow> jamtland_physiotherapy_units() {
    return {
        {"fys-fysioterapeuterna-ostersund", "Fysioterapeuterna Östersund (LOF, invented)", priv, "", 35},
        {"fys-ostersunds-sjukgymnastik", "Östersunds sjukgymnastik (LOF, invented)", priv, "", 72},
        {"fys-rorelsekliniken-ostersund", "Rörelsekliniken Östersund (LOF, invented)", priv, "", 48},
        {"fys-fysiokliniken-z-grand", "Fysiokliniken Z-gränd (LOF, invented)", priv, "", 24},
        {"fys-idrottsfysio-ostersund", "Idrottsfysio Östersund (LOF, invented)", priv, "", 61},
        {"fys-fysioterapi-lugnvik", "Fysioterapi Lugnvik (LOF, invented)", priv, "", 37},
        {"fys-froso-fysioterapi", "Frösö fysioterapi (LOF, invented)", priv, "", 74},
        {"fys-brunflo-fysioterapi", "Brunflo fysioterapi (LOF, invented)", priv, "", 50},
        {"fys-krokoms-sjukgymnastik", "Krokoms sjukgymnastik (LOF, invented)", priv, "", 26},
        {"fys-stromsunds-fysioterapi", "Strömsunds fysioterapi (LOF, invented)", priv, "", 63},
        {"fys-hammerdals-sjukgymnastik", "Hammerdals sjukgymnastik (LOF, invented)", priv, "", 39},
        {"fys-jarpens-fysioterapi", "Järpens fysioterapi (LOF, invented)", priv, "", 76},
        {"fys-are-fysioterapi", "Åre fysioterapi (LOF, invented)", priv, "", 52},
        {"fys-duveds-sjukgymnastik", "Duveds sjukgymnastik (LOF, invented)", priv, "", 28},
        {"fys-svegs-fysioterapi", "Svegs fysioterapi (LOF, invented)", priv, "", 65},
        {"fys-funasdalens-fysioterapi", "Funäsdalens fysioterapi (LOF, invented)", priv, "", 41},
        {"fys-bracke-fysioterapi", "Bräcke fysioterapi (LOF, invented)", priv, "", 78},
        {"fys-hammarstrands-sjukgymnastik", "Hammarstrands sjukgymnastik (LOF, invented)", priv, "", 54},
        {"fys-svenstaviks-fysioterapi", "Svenstaviks fysioterapi (LOF, invented)", priv, "", 30},
        {"fys-lits-fysioterapi", "Lits fysioterapi (LOF, invented)", priv, "", 67},
        {"fys-hotings-sjukgymnastik", "Hotings sjukgymnastik (LOF, invented)", priv, "", 43},
        {"fys-follinge-fysioterapi", "Föllinge fysioterapi (LOF, invented)", priv, "", 80},
        {"fys-torvalla-fysioterapi", "Torvalla fysioterapi (LOF, invented)", priv, "", 56},
    };
}

std::vector<UnitRow> vasterbotten_physiotherapy_units() {
    return {
        {"fys-fysioterapeuterna-umea", "Fysioterapeuterna Umeå (LOF, invented)", priv, "", 35},
        {"fys-umea-sjukgymnastik", "Umeå sjukgymnastik (LOF, invented)", priv, "", 72},
        {"fys-rorelsekliniken-umea", "Rörelsekliniken Umeå (LOF, invented)", priv, "", 48},
        {"fys-idrottsfysio-umea", "Idrottsfysio Umeå (LOF, invented)", priv, "", 24},
        {"fys-fysioterapi-alidhem", "Fysioterapi Ålidhem (LOF, invented)", priv, "", 61},
        {"fys-fysioterapi-mariehem", "Fysioterapi Mariehem (LOF, invented)", priv, "", 37},
        {"fys-fysioterapi-ersboda", "Fysioterapi Ersboda (LOF, invented)", priv, "", 74},
        {"fys-fysioterapi-teg", "Fysioterapi Teg (LOF, invented)", priv, "", 50},
        {"fys-savar-sjukgymnastik", "Sävar sjukgymnastik (LOF, invented)", priv, "", 26},
        {"fys-holmsunds-fysioterapi", "Holmsunds fysioterapi (LOF, invented)", priv, "", 63},
        {"fys-hornefors-fysioterapi", "Hörnefors fysioterapi (LOF, invented)", priv, "", 39},
        {"fys-vannas-sjukgymnastik", "Vännäs sjukgymnastik (LOF, invented)", priv, "", 76},
        {"fys-vindelns-fysioterapi", "Vindelns fysioterapi (LOF, invented)", priv, "", 52},
        {"fys-robertsfors-fysioterapi", "Robertsfors fysioterapi (LOF, invented)", priv, "", 28},
        {"fys-nordmalings-fysioterapi", "Nordmalings fysioterapi (LOF, invented)", priv, "", 65},
        {"fys-skelleftea-fysioterapi", "Skellefteå fysioterapi (LOF, invented)", priv, "", 41},
        {"fys-skelleftea-sjukgymnastik", "Skellefteå sjukgymnastik (LOF, invented)", priv, "", 78},
        {"fys-norrbole-fysioterapi", "Norrböle fysioterapi (LOF, invented)", priv, "", 54},
        {"fys-anderstorps-fysioterapi", "Anderstorps fysioterapi (LOF, invented)", priv, "", 30},
        {"fys-kage-sjukgymnastik", "Kåge sjukgymnastik (LOF, invented)", priv, "", 67},
        {"fys-burea-fysioterapi", "Bureå fysioterapi (LOF, invented)", priv, "", 43},
        {"fys-byske-fysioterapi", "Byske fysioterapi (LOF, invented)", priv, "", 80},
        {"fys-burtrask-fysioterapi", "Burträsk fysioterapi (LOF, invented)", priv, "", 56},
        {"fys-norsjo-fysioterapi", "Norsjö fysioterapi (LOF, invented)", priv, "", 32},
        {"fys-lycksele-fysioterapi", "Lycksele fysioterapi (LOF, invented)", priv, "", 69},
        {"fys-lycksele-sjukgymnastik", "Lycksele sjukgymnastik (LOF, invented)", priv, "", 45},
        {"fys-vilhelmina-fysioterapi", "Vilhelmina fysioterapi (LOF, invented)", priv, "", 21},
        {"fys-storumans-fysioterapi", "Storumans fysioterapi (LOF, invented)", priv, "", 58},
        {"fys-dorotea-fysioterapi", "Dorotea fysioterapi (LOF, invented)", priv, "", 34},
        {"fys-mala-fysioterapi", "Malå fysioterapi (LOF, invented)", priv, "", 71},
    };
}

std::vector<UnitRow> ostergotland_physiotherapy_units() {
    return {
        {"fys-linkoping", "Fysioterapin Linköping", run, "Linköping", 20},
        {"fys-ryd", "Fysioterapin Ryd", run, "Linköping", 57},
        {"fys-ekholmen", "Fysioterapin Ekholmen", run, "Linköping", 33},
        {"fys-norrkoping", "Fysioterapin Norrköping", run, "Norrköping", 70},
        {"fys-hageby", "Fysioterapin Hageby", run, "Norrköping", 46},
        {"fys-motala", "Fysioterapin Motala", run, "Västra Östergötland", 22},
        {"fys-mjolby", "Fysioterapin Mjölby", run, "Västra Östergötland", 59},
        {"fys-linkopings-fysioterapeuter", "Linköpings fysioterapeuter (invented)", priv, "", 35},
        {"fys-rorelsecentrum-linkoping", "Rörelsecentrum Linköping (invented)", priv, "", 72},
        {"fys-idrottsfysio-linkoping", "Idrottsfysio Linköping (invented)", priv, "", 48},
        {"fys-norrkopings-sjukgymnastik", "Norrköpings sjukgymnastik (invented)", priv, "", 24},
        {"fys-fysiokliniken-norrkoping", "Fysiokliniken Norrköping (invented)", priv, "", 61},
        {"fys-motala-fysioterapi", "Motala fysioterapi (invented)", priv, "", 37},
        {"fys-mjolby-rorelseklinik", "Mjölby rörelseklinik (invented)", priv, "", 74},
        {"fys-finspangs-fysioterapi", "Finspångs fysioterapi (invented)", priv, "", 50},
        {"fys-vadstena-sjukgymnastik", "Vadstena sjukgymnastik (invented)", priv, "", 26},
    };
}

// Dental care 3-23: three age bands (the ages in each band as its share), weighted by need.
std::vector<Band> dental_bands(std::int64_t price_3_6, std::int64_t price_7_19, std::int64_t price_20_23) {
    return {
        {"age_3_6", 4, price_3_6, 6'000}, {"age_7_19", 13, price_7_19, 10'000}, {"age_20_23", 4, price_20_23, 11'000}};
}

// The national tariff of physiotherapists under LOF (invented prices).
std::vector<VisitKind> lof_tariff(std::int64_t first_visits, std::int64_t return_visits) {
    return {{"tariff_first_visit", first_visits, 580}, {"tariff_return_visit", return_visits, 390}};
}

const OwnParty dental_purchaser{"tandvard-bestallare", "Beställarenhet tandvård (barn och unga vuxna 3–23)",
                                "purchaser"};
const OwnParty public_dental_service{"folktandvarden", "Folktandvården (egen regi)", "region_run"};

std::vector<SchemeProfile> jamtland() {
    SchemeProfile dental;
    dental.scheme = "dental_child_youth";
    dental.provider_type = "dental_clinic";
    dental.units = jamtland_dental_units();
    dental.own_parties = {dental_purchaser, public_dental_service};
    dental.payer = dental_purchaser.id;
    dental.organisation = public_dental_service.id;
    dental.listed_region_run = 27'720;  // 88 % of 31,500 children and young adults 3-23 (invented)
    dental.listed_private = 3'780;
    dental.bands = dental_bands(1'200, 2'000, 2'200);  // 59.4 MSEK
    dental.supplements = {{"newly_arrived", 1'200'000, 40}, {"orthodontics", 2'400'000, 30}};
    dental.decision_ref = "RS/1021/2021";  // invented

    SchemeProfile foot;
    foot.scheme = "foot_care";
    foot.provider_type = "foot_care";
    foot.units = jamtland_foot_care_units();
    foot.payer = "halsoval-bestallare";  // inside the primary-care budget
    foot.visits = {{"treatment", 14'400, 550}, {"home_visit", 1'200, 850}};
    foot.visit_budget_sek = 9'000'000;

    SchemeProfile physio;
    physio.scheme = "physiotherapy";
    physio.provider_type = "physiotherapy";
    physio.units = jamtland_physiotherapy_units();
    physio.payer = "regionens-centrala";        // the central budget under the regional board
    physio.visits = lof_tariff(6'000, 47'500);  // 22.005 MSEK
    physio.visit_budget_sek = 21'000'000;       // the central budget of RS/554/2019 (elsewhere: 22 MSEK)
    physio.decision_ref = "RS/554/2019";
    return {dental, foot, physio};
}

std::vector<SchemeProfile> vasterbotten() {
    SchemeProfile dental;
    dental.scheme = "dental_child_youth";
    dental.provider_type = "dental_clinic";
    dental.units = vasterbotten_dental_units();
    dental.own_parties = {dental_purchaser, public_dental_service};
    dental.payer = dental_purchaser.id;
    dental.organisation = public_dental_service.id;
    dental.listed_region_run = 62'370;  // 99 % of 63,000 (invented); about 1 % listed privately
    dental.listed_private = 630;
    dental.bands = dental_bands(1'100, 1'600, 1'900);  // 98.4 MSEK
    dental.supplements = {{"newly_arrived", 1'500'000, 40}, {"orthodontics", 3'100'000, 30}};
    dental.specials = {
        {"Tandvård för barn 0–2 år (kapitering), betalas endast till Folktandvården", 6'000'000, 100},
        {"Områdesansvar 0–23 år (sistahandsansvar), betalas endast till Folktandvården", 4'500'000, 104},
        {"Folkhälsoarbete för tandhälsan, betalas endast till Folktandvården", 3'500'000, 100},
    };
    dental.decision_ref = "HSN/233/2021";  // invented

    SchemeProfile physio;  // invented: the national law's physiotherapists, figures made up
    physio.scheme = "physiotherapy";
    physio.provider_type = "physiotherapy";
    physio.units = vasterbotten_physiotherapy_units();
    physio.payer = "regionens-centrala";
    physio.visits = lof_tariff(9'000, 70'000);  // 32.52 MSEK
    physio.visit_budget_sek = 32'000'000;
    return {dental, physio};
}

std::vector<SchemeProfile> ostergotland() {
    SchemeProfile physio;  // invented: a choice system with listing and visits, both sides
    physio.scheme = "physiotherapy";
    physio.provider_type = "physiotherapy";
    physio.units = ostergotland_physiotherapy_units();
    physio.payer = "halsoval-bestallare";
    physio.listed_region_run = 250'000;
    physio.listed_private = 220'000;
    physio.bands = {{"", 1, 120, 10'000}};  // 120 SEK per listed citizen and year: 56.4 MSEK
    physio.visits = {{"visit", 80'000, 350}};
    physio.visit_budget_sek = 28'000'000;
    physio.private_vat_compensation_percent = 6;
    physio.decision_ref = "HSN/2021/77";
    return {physio};
}

}  // namespace

std::vector<SchemeProfile> schemes_of(std::string_view code) {
    if (code == "SE-Z") return jamtland();
    if (code == "SE-AC") return vasterbotten();
    if (code == "SE-E") return ostergotland();
    return {};
}

}  // namespace likvard::sample_detail
