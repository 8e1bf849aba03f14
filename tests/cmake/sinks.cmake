# Unit tests of the HTTP sinks (sink-notion, sink-webhook, their shared HTTP pieces) and of the
# core's delivery worker decisions. The Notion double and the Node suites
# (tests/integration/sinks_*.test.mjs) need no registration.
if(TARGET fp_sink_notion_impl)
  fp_add_unit_test_area(fp_notion_tests notion fp_sink_notion_impl)
endif()
if(TARGET fp_sink_webhook_impl)
  fp_add_unit_test_area(fp_webhook_tests webhook fp_sink_webhook_impl)
endif()
fp_add_unit_test_area(fp_delivery_tests delivery firepoker_core)
