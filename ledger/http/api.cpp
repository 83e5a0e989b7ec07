// The route table of `likvard serve`: every route, its role and its parameters, in one
// place (the OpenAPI test compares schemas/api/openapi.yaml with it).
#include <spdlog/spdlog.h>

#include "http/detail/context.hpp"
#include "store/reads.hpp"

namespace likvard::http {

struct Api::Impl {
    detail::ContextPtr context;
};

Api::Api(ApiConfig config, std::shared_ptr<Probe> probe)
    : impl_(std::make_shared<Impl>(Impl{std::make_shared<detail::Context>(std::move(config), std::move(probe))})) {}

Api::~Api() = default;

Router Api::router() const {
    Router router;
    detail::add_static_routes(router);
    detail::add_operation_routes(router, impl_->context);
    detail::add_statement_routes(router, impl_->context);
    detail::add_overview_routes(router, impl_->context);
    detail::add_figure_routes(router, impl_->context);
    detail::add_ledger_routes(router, impl_->context);
    detail::add_event_routes(router, impl_->context);
    detail::add_dashboard_routes(router, impl_->context);
    return router;
}

void Api::report_projections(std::vector<ProjectionLag> positions) {
    std::lock_guard lock(impl_->context->projections_mutex);
    impl_->context->projections = std::move(positions);
    impl_->context->projection_error.clear();
}

void Api::report_projection_error(const std::string& message) {
    std::lock_guard lock(impl_->context->projections_mutex);
    impl_->context->projection_error = message;
}

void Api::report_broker(BrokerReading reading) {
    std::lock_guard lock(impl_->context->broker_mutex);
    impl_->context->broker = std::move(reading);
}

std::vector<std::string> Api::ingested_topics() const {
    constexpr int topics_max = 64;
    std::vector<std::string> topics;
    try {
        auto store = impl_->context->pool.acquire();
        topics = likvard::ingested_topics(*store, topics_max);
    } catch (const std::exception& error) {
        spdlog::warn("the ingested topics: {}", error.what());
    }
    return topics;
}

}  // namespace likvard::http
