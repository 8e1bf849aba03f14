variables {
  websocket_ping_interval_seconds = 30
}

run "defaults" {
  command = plan

  assert {
    condition     = join(",", output.rules["websocket"].path_patterns) == "/ws,/ws/*" && output.rules["websocket"].action.type == "forward"
    error_message = "/ws goes to the app"
  }
  assert {
    condition     = join(",", output.rules["api"].path_patterns) == "/api/*"
    error_message = "/api/* goes to the app"
  }
  assert {
    condition     = output.rules["metrics"].action.type == "fixed-response" && output.rules["metrics"].action.status_code == "404"
    error_message = "/metrics is not public"
  }
  assert {
    condition     = output.rules["metrics"].priority < output.rules["websocket"].priority
    error_message = "the metrics block is evaluated first"
  }
  assert {
    condition     = length(distinct([for r in output.rules : r.priority])) == length(output.rules)
    error_message = "priorities are unique"
  }
  assert {
    condition     = output.health_check.path == "/healthz" && output.health_check.matcher == "200"
    error_message = "the target group checks liveness"
  }
  assert {
    condition     = output.idle_timeout_seconds >= 60 && output.deregistration_delay_seconds <= 60
    error_message = "WebSocket-friendly timeouts"
  }
}

run "metrics_exposed" {
  command = plan

  variables {
    expose_metrics = true
  }

  assert {
    condition     = !contains(keys(output.rules), "metrics")
    error_message = "no metrics block when exposed"
  }
}

run "idle_timeout_below_pings_is_flagged" {
  command = plan

  variables {
    idle_timeout_seconds = 45
  }

  expect_failures = [output.idle_timeout_seconds]
}

run "a_longer_ping_interval_needs_a_longer_idle_timeout" {
  command = plan

  variables {
    websocket_ping_interval_seconds = 90
  }

  expect_failures = [output.idle_timeout_seconds]
}

run "out_of_range_is_refused" {
  command = plan

  variables {
    idle_timeout_seconds         = 5000
    deregistration_delay_seconds = -1
  }

  expect_failures = [var.idle_timeout_seconds, var.deregistration_delay_seconds]
}
