// A fresh PostgreSQL database per test, on the server of $LIKVARD_DATABASE_URL (ops/pg, the
// superuser's URL), migrated and dropped afterwards, with a URL per role for it: each program
// under test connects as the role a deployment gives it (docs/operating.md, "Roles").
// Storage tests never mock the database.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <pqxx/pqxx>
#include <string>
#include <unistd.h>

#include "store/store.hpp"

namespace likvard::test {

inline std::string server_url() {
    const char* url = std::getenv("LIKVARD_DATABASE_URL");
    if (url == nullptr || *url == '\0')
        throw std::runtime_error(
            "LIKVARD_DATABASE_URL is not set: run ops/test, or export LIKVARD_DATABASE_URL=$(ops/pg start)");
    return url;
}

// The same server, another database name (URI form postgresql://user@host:port/db?...).
inline std::string with_database(const std::string& url, const std::string& name) {
    const auto query = url.find('?');
    const std::string base = url.substr(0, query);
    const auto slash = base.rfind('/');
    return base.substr(0, slash) + "/" + name + (query == std::string::npos ? "" : url.substr(query));
}

// The same server and database as another user (URI form; any password is left out: the
// test server trusts 127.0.0.1).
inline std::string with_user(const std::string& url, const std::string& user) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string::npos) throw std::runtime_error("not a postgresql:// URL: " + url);
    const auto host = scheme_end + 3;
    const auto at = url.find('@', host);
    const auto slash = url.find('/', host);
    const bool has_user = at != std::string::npos && (slash == std::string::npos || at < slash);
    return url.substr(0, host) + user + "@" + url.substr(has_user ? at + 1 : host);
}

class DatabaseTest : public ::testing::Test {
protected:
    void SetUp() override {
        static std::atomic<int> counter{0};
        name_ = "likvard_test_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
        admin_ = server_url();
        pqxx::connection admin(admin_);
        pqxx::nontransaction tx(admin);
        tx.exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
        tx.exec("CREATE DATABASE " + name_);
        owner_url = with_database(admin_, name_);
        migrate(owner_url);
        url = with_user(owner_url, "likvard_app");
        projector_url = with_user(owner_url, "likvard_projector");
        reader_url = with_user(owner_url, "likvard_reader");
    }
    void TearDown() override {
        pqxx::connection admin(admin_);
        pqxx::nontransaction tx(admin);
        tx.exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    }

    // A query as the superuser that owns the test database (to inspect or tamper).
    pqxx::result query(const std::string& sql) {
        pqxx::connection connection(owner_url);
        pqxx::work tx(connection);
        pqxx::result result = tx.exec(sql);
        tx.commit();
        return result;
    }
    std::int64_t count(const std::string& sql) { return query(sql)[0][0].as<std::int64_t>(); }

    // Appends lines through the one append path (a file source) and says how many were appended.
    std::size_t append_lines(const std::vector<std::string>& lines) {
        Store store(url);
        std::vector<Incoming> batch;
        for (const auto& event : lines) batch.push_back({event, Source{}});
        return store.append(batch).appended;
    }

    std::string url;            // likvard_app: appends (likvard append, likvard-ingest, serve)
    std::string owner_url;      // the superuser: likvard migrate, and query()
    std::string projector_url;  // likvard_projector: the projection runner
    std::string reader_url;     // likvard_reader: statements, verify, exports, dashboards

private:
    std::string admin_;
    std::string name_;
};

}  // namespace likvard::test
