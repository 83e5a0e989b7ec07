// The three sample regions' primary care. Unit names are real places; list sizes, weights and
// budgets are invented to land near the documented sample figures (SE-Z ~800 MSEK, SE-AC ~1.5
// billion SEK); SE-E is invented as a whole. Their other choice systems: scheme_regions.cpp.
#include "sample/detail/regions.hpp"

namespace likvard::sample_detail {
namespace {

constexpr std::string_view hc = "health_centre";
constexpr std::string_view ch = "cottage_hospital";
constexpr bool run = false;
constexpr bool priv = true;

// {id, name, private, type, area, size, factor (1/10,000), sparse, tourist}
std::vector<ProviderRow> jamtland_providers() {
    return {
        {"hc-lugnvik", "Hälsocentralen Lugnvik", run, hc, "Östersund", 90, 9400, false, false},
        {"hc-froson", "Hälsocentralen Frösön", run, hc, "Östersund", 85, 9800, false, false},
        {"hc-odenslund", "Hälsocentralen Odenslund", run, hc, "Östersund", 95, 9600, false, false},
        {"hc-z-grand", "Hälsocentralen Z-gränd", run, hc, "Östersund", 88, 9300, false, false},
        {"hc-brunflo", "Hälsocentralen Brunflo", run, hc, "Östersund", 70, 10200, false, false},
        {"hc-torvalla", "Hälsocentralen Torvalla", run, hc, "Östersund", 80, 9900, false, false},
        {"hc-lit", "Hälsocentralen Lit", run, hc, "Jämtland söder", 35, 11400, false, false},
        {"hc-stromsund", "Hälsocentralen Strömsund", run, hc, "Jämtland norr", 55, 12300, false, false},
        {"hc-hammerdal", "Hälsocentralen Hammerdal", run, hc, "Jämtland norr", 28, 12900, true, false},
        {"hc-hoting", "Hälsocentralen Hoting", run, hc, "Jämtland norr", 18, 13800, true, false},
        {"hc-krokom", "Hälsocentralen Krokom", run, hc, "Jämtland norr", 60, 10400, false, false},
        {"hc-follinge", "Hälsocentralen Föllinge", run, hc, "Jämtland norr", 20, 13500, true, false},
        {"hc-jarpen", "Hälsocentralen Järpen", run, hc, "Jämtland norr", 40, 11700, false, false},
        {"hc-are", "Hälsocentralen Åre", run, hc, "Jämtland norr", 45, 11200, false, true},
        {"hc-svenstavik", "Hälsocentralen Svenstavik", run, hc, "Jämtland söder", 30, 13100, true, false},
        {"hc-hammarstrand", "Hälsocentralen Hammarstrand", run, hc, "Jämtland söder", 26, 12800, true, false},
        {"hc-bracke", "Hälsocentralen Bräcke", run, hc, "Jämtland söder", 32, 12500, false, false},
        {"hc-gallo", "Hälsocentralen Gällö", run, hc, "Jämtland söder", 20, 12700, true, false},
        {"hc-sveg", "Hälsocentralen Sveg", run, hc, "Härjedalen", 42, 12600, true, false},
        {"hc-funasdalen", "Hälsocentralen Funäsdalen", run, hc, "Härjedalen", 22, 13600, true, true},
        {"hc-hede", "Hälsocentralen Hede", run, hc, "Härjedalen", 18, 13900, true, false},
        {"hc-medinord", "Medinord", priv, hc, "", 80, 9200, false, false},
        {"hc-fjallhalsan", "Fjällhälsan", priv, hc, "", 45, 9700, false, false},
        {"hc-nya-narvarden", "Nya närvården", priv, hc, "", 60, 9100, false, false},
        {"hc-halsorum-offerdal", "Hälsorum i Offerdal", priv, hc, "", 25, 12200, false, false},
        {"hc-fjallvivan", "Fjällvivan", priv, hc, "", 30, 10600, false, true},
        {"hc-frostviken", "Frostviken", priv, hc, "", 12, 14100, true, false},
        {"hc-storsjohalsan", "Storsjöhälsan (invented: the seventh provider is unnamed in the sources)", priv, hc, "",
         40, 9500, false, false},
    };
}

std::vector<ProviderRow> vasterbotten_providers() {
    return {
        {"hc-alidhem", "Hälsocentralen Ålidhem", run, hc, "Umeå", 95, 9300, false, false},
        {"hc-mariehem", "Hälsocentralen Mariehem", run, hc, "Umeå", 90, 9500, false, false},
        {"hc-ersboda", "Hälsocentralen Ersboda", run, hc, "Umeå", 85, 10100, false, false},
        {"hc-teg", "Hälsocentralen Teg", run, hc, "Umeå", 100, 9400, false, false},
        {"hc-carlshem", "Hälsocentralen Carlshem", run, hc, "Umeå", 80, 9700, false, false},
        {"hc-savar", "Hälsocentralen Sävar", run, hc, "Umeå", 55, 10300, false, false},
        {"hc-holmsund", "Hälsocentralen Holmsund", run, hc, "Umeå", 65, 10200, false, false},
        {"hc-obbola", "Hälsocentralen Obbola", run, hc, "Umeå", 35, 10400, false, false},
        {"hc-hornefors", "Hälsocentralen Hörnefors", run, hc, "Umeå", 40, 11300, false, false},
        {"hc-vannas", "Hälsocentralen Vännäs", run, hc, "Umeå", 70, 10900, false, false},
        {"hc-vindeln", "Hälsocentralen Vindeln", run, hc, "Umeå", 40, 12400, true, false},
        {"hc-robertsfors", "Hälsocentralen Robertsfors", run, hc, "Umeå", 45, 11900, false, false},
        {"hc-nordmaling", "Hälsocentralen Nordmaling", run, hc, "Umeå", 55, 11800, false, false},
        {"hc-bjurholm", "Hälsocentralen Bjurholm", run, hc, "Umeå", 20, 13000, true, false},
        {"hc-anaset", "Hälsocentralen Ånäset", run, hc, "Umeå", 18, 12300, true, false},
        {"hc-norrbole", "Hälsocentralen Norrböle", run, hc, "Skellefteå", 90, 9800, false, false},
        {"hc-sunnana", "Hälsocentralen Sunnanå", run, hc, "Skellefteå", 85, 9900, false, false},
        {"hc-anderstorp", "Hälsocentralen Anderstorp", run, hc, "Skellefteå", 80, 10300, false, false},
        {"hc-kage", "Hälsocentralen Kåge", run, hc, "Skellefteå", 40, 11200, false, false},
        {"hc-burea", "Hälsocentralen Bureå", run, hc, "Skellefteå", 35, 11500, false, false},
        {"hc-byske", "Hälsocentralen Byske", run, hc, "Skellefteå", 35, 11800, false, false},
        {"hc-jorn", "Hälsocentralen Jörn", run, hc, "Skellefteå", 12, 13700, true, false},
        {"hc-boliden", "Hälsocentralen Boliden", run, hc, "Skellefteå", 22, 12600, true, false},
        {"hc-burtrask", "Hälsocentralen Burträsk", run, hc, "Skellefteå", 30, 12200, false, false},
        {"hc-norsjo", "Hälsocentralen Norsjö", run, hc, "Skellefteå", 30, 13200, true, false},
        {"hc-lycksele", "Hälsocentralen Lycksele", run, hc, "Södra Lappland", 70, 12100, false, false},
        {"hc-dorotea", "Dorotea sjukstuga", run, ch, "Södra Lappland", 18, 14300, true, false},
        {"hc-vilhelmina", "Vilhelmina sjukstuga", run, ch, "Södra Lappland", 45, 13600, true, false},
        {"hc-asele", "Åsele sjukstuga", run, ch, "Södra Lappland", 20, 14200, true, false},
        {"hc-storuman", "Storumans sjukstuga", run, ch, "Södra Lappland", 35, 13700, true, false},
        {"hc-sorsele", "Sorsele sjukstuga", run, ch, "Södra Lappland", 18, 14400, true, false},
        {"hc-mala", "Malå sjukstuga", run, ch, "Södra Lappland", 20, 14000, true, false},
        {"hc-tarnaby", "Tärnaby sjukstuga", run, ch, "Södra Lappland", 15, 14500, true, true},
        {"hc-vasterslatt", "Västerslätts vårdcentral (invented)", priv, hc, "", 110, 9400, false, false},
        {"hc-nordvarden", "Nordvården Umeå (invented)", priv, hc, "", 95, 9100, false, false},
        {"hc-lakarhuset", "Läkarhuset i Umeå (invented)", priv, hc, "", 100, 9000, false, false},
        {"hc-skelleftea-familjelakare", "Skellefteå familjeläkare (invented)", priv, hc, "", 90, 9600, false, false},
        {"hc-halsohuset", "Hälsohuset Haga (invented)", priv, hc, "", 105, 9200, false, false},
    };
}

// Invented as a whole: a third region, so that a comparison of physiotherapy has three.
std::vector<ProviderRow> ostergotland_providers() {
    return {
        {"hc-ekholmen", "Vårdcentralen Ekholmen", run, hc, "Linköping", 95, 9300, false, false},
        {"hc-ryd", "Vårdcentralen Ryd", run, hc, "Linköping", 90, 9000, false, false},
        {"hc-skaggetorp", "Vårdcentralen Skäggetorp", run, hc, "Linköping", 85, 10900, false, false},
        {"hc-karna", "Vårdcentralen Kärna", run, hc, "Linköping", 70, 9500, false, false},
        {"hc-hageby", "Vårdcentralen Hageby", run, hc, "Norrköping", 90, 10700, false, false},
        {"hc-kneippen", "Vårdcentralen Kneippen", run, hc, "Norrköping", 80, 9800, false, false},
        {"hc-motala", "Vårdcentralen Motala", run, hc, "Västra Östergötland", 85, 10400, false, false},
        {"hc-mjolby", "Vårdcentralen Mjölby", run, hc, "Västra Östergötland", 70, 10300, false, false},
        {"hc-kisa", "Vårdcentralen Kisa", run, hc, "Linköping", 30, 12600, true, false},
        {"hc-ydre", "Vårdcentralen Ydre", run, hc, "Västra Östergötland", 15, 13200, true, false},
        {"hc-linkoping-city", "Linköping City vårdcentral (invented)", priv, hc, "", 110, 9100, false, false},
        {"hc-norrkoping-centrum", "Norrköping centrum vårdcentral (invented)", priv, hc, "", 100, 9400, false, false},
        {"hc-lambohov", "Lambohovs läkarhus (invented)", priv, hc, "", 70, 9200, false, false},
        {"hc-vilbergen", "Vilbergens familjeläkare (invented)", priv, hc, "", 60, 9900, false, false},
        {"hc-finspang", "Finspångs vårdcentral (invented)", priv, hc, "", 45, 10600, false, false},
        {"hc-soderkoping", "Söderköpings läkarhus (invented)", priv, hc, "", 40, 10800, false, true},
    };
}

RegionProfile ostergotland() {
    RegionProfile region;
    region.code = "SE-E";
    region.name = "Region Östergötland";  // the figures and the private names are invented
    region.providers = ostergotland_providers();
    region.listed_region_run = 280'000;
    region.listed_private = 190'000;
    region.capitation_sek = 2'250'000'000;
    region.variable_sek = 170'000'000;
    region.nursing_home_sek = 80'000'000;
    region.family_centre_sek = 30'000'000;
    region.st_training_sek = 50'000'000;
    region.target_sek = 65'000'000;
    region.sparsity_sek = 12'000'000;
    region.e_frikort_sek = 1'600'000;
    region.acute_module_users = 300;
    region.omi_visits = 1'200;
    region.omi_seller = "hc-ekholmen";
    region.on_call_coordination_sek = 1'400'000;
    region.st_director_sek = 1'000'000;
    region.bt_director_sek = 450'000;
    region.scheduling_admin_sek = 900'000;
    region.st_appropriation_sek = 1'000'000;
    region.commitments_decision_ref = "RS/2021/318";  // invented
    region.model_decision_ref = "HSN/2020/118";       // invented
    region.schemes = schemes_of(region.code);
    return region;
}

std::vector<RegionProfile> make_regions() {
    RegionProfile jamtland;
    jamtland.code = "SE-Z";
    jamtland.name = "Region Jämtland Härjedalen";
    jamtland.providers = jamtland_providers();
    jamtland.listed_region_run = 113'600;
    jamtland.listed_private = 19'200;  // 14.5 % of 132,800
    jamtland.capitation_sek = 655'000'000;
    jamtland.variable_sek = 52'000'000;
    jamtland.nursing_home_sek = 24'000'000;
    jamtland.family_centre_sek = 9'000'000;
    jamtland.st_training_sek = 15'000'000;
    jamtland.target_sek = 20'000'000;
    jamtland.sparsity_sek = 16'000'000;
    jamtland.e_frikort_sek = 480'000;
    jamtland.acute_module_users = 135;
    jamtland.omi_visits = 600;
    jamtland.omi_seller = "hc-lugnvik";
    jamtland.on_call_coordination_sek = 450'000;
    jamtland.st_director_sek = 350'000;
    jamtland.bt_director_sek = 200'000;
    jamtland.scheduling_admin_sek = 300'000;
    jamtland.st_appropriation_sek = 350'000;
    jamtland.commitments_decision_ref = "RS/773/2021";
    jamtland.model_decision_ref = "RS/554/2019";
    jamtland.schemes = schemes_of(jamtland.code);

    RegionProfile vasterbotten;  // about twice Jämtland: ~276,300 inhabitants, ~1.5 billion SEK
    vasterbotten.code = "SE-AC";
    vasterbotten.name = "Region Västerbotten";
    vasterbotten.providers = vasterbotten_providers();
    vasterbotten.listed_region_run = 218'700;
    vasterbotten.listed_private = 51'300;  // 19 % of 270,000
    vasterbotten.capitation_sek = 1'230'000'000;
    vasterbotten.variable_sek = 96'000'000;
    vasterbotten.nursing_home_sek = 44'000'000;
    vasterbotten.family_centre_sek = 16'000'000;
    vasterbotten.st_training_sek = 28'000'000;
    vasterbotten.target_sek = 36'000'000;
    vasterbotten.sparsity_sek = 34'000'000;
    vasterbotten.e_frikort_sek = 960'000;
    vasterbotten.acute_module_users = 280;
    vasterbotten.omi_visits = 900;
    vasterbotten.omi_seller = "hc-mariehem";
    vasterbotten.on_call_coordination_sek = 820'000;
    vasterbotten.st_director_sek = 600'000;
    vasterbotten.bt_director_sek = 300'000;
    vasterbotten.scheduling_admin_sek = 520'000;
    vasterbotten.st_appropriation_sek = 600'000;
    vasterbotten.commitments_decision_ref = "RS/1187/2021";  // invented
    vasterbotten.model_decision_ref = "HSN/412/2020";        // invented
    vasterbotten.schemes = schemes_of(vasterbotten.code);
    return {jamtland, vasterbotten, ostergotland()};
}

}  // namespace

const std::vector<RegionProfile>& all_regions() {
    static const std::vector<RegionProfile> regions = make_regions();
    return regions;
}

const RegionProfile* find_region(std::string_view code) {
    for (const auto& region : all_regions())
        if (region.code == code) return &region;
    return nullptr;
}

}  // namespace likvard::sample_detail
