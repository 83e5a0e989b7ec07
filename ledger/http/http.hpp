// The HTTP API of `likvard serve`, every public face at once: tokens and roles, requests
// and problems, the route table, metrics, the server and its host checks, static files,
// and the API. docs/reference/http.md documents the routes. Include the one face you use.
#pragma once

#include "http/api.hpp"
#include "http/hosts.hpp"
#include "http/message.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"
#include "http/tokens.hpp"
