// A fresh PostgreSQL database per test, on the server of $LIKVARD_DATABASE_URL (ops/pg),
// migrated and dropped afterwards. Storage tests never mock the database.
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
        throw std::runtime_error("LIKVARD_DATABASE_URL is not set: run ops/test, or export LIKVARD_DATABASE_URL=$(ops/pg start)");
    return url;
}

// The same server, another database name (URI form postgresql://user@host:port/db?...).
inline std::string with_database(const std::string& url, const std::string& name) {
    const auto query = url.find('?');
    const std::string base = url.substr(0, query);
    const auto slash = base.rfind('/');
    return base.substr(0, slash) + "/" + name + (query == std::string::npos ? "" : url.substr(query));
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
        url = with_database(admin_, name_);
        migrate(url);
    }
    void TearDown() override {
        pqxx::connection admin(admin_);
        pqxx::nontransaction tx(admin);
        tx.exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    }

    // A query as the superuser that owns the test database.
    pqxx::result query(const std::string& sql) {
        pqxx::connection connection(url);
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

    std::string url;

private:
    std::string admin_;
    std::string name_;
};

}  // namespace likvard::test
