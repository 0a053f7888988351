// Copyright 2026 The Sluice Authors.
//
// MockEventSink: a gMock mock of sluice::EventSink (sluice/
// rollout_event.h), for tests that expect particular events. Tests that
// only read the events afterwards use RecordingEventSink
// (sluice/testing/rollout_testing.h).
//
// Example:
//
//   sluice::testing::MockEventSink sink;
//   EXPECT_CALL(sink, OnEvent(::testing::Field(&sluice::RolloutEvent::kind,
//                                              sluice::EventKind::kRolloutFinished)));

#ifndef SLUICE_TESTING_MOCK_EVENT_SINK_H_
#define SLUICE_TESTING_MOCK_EVENT_SINK_H_

#include "gmock/gmock.h"
#include "sluice/rollout_event.h"

namespace sluice::testing {

// A gMock mock of EventSink. Thread-safe as gMock mocks are (expectations
// are set before the calls).
class MockEventSink : public EventSink {
 public:
  MOCK_METHOD(void, OnEvent, (const RolloutEvent& event), (override));
};

}  // namespace sluice::testing

#endif  // SLUICE_TESTING_MOCK_EVENT_SINK_H_
