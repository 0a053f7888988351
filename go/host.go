// Copyright 2026 The Sluice Authors.

package sluice

import (
	"context"
	"fmt"
	"time"
)

// Transport carries out actions: deploy a version to targets, roll them
// back, set a traffic weight. It returns one result per target of the
// action (for actions without targets, such as set-traffic, the results
// are ignored and a nil error means success). An error fails every
// remaining target of the action with the error's text; a canceled ctx
// stops the host loop.
type Transport interface {
	Execute(ctx context.Context, action Action) ([]TargetResult, error)
}

// Clock is the host loop's time: the real one (SystemClock) or a fake in
// tests.
type Clock interface {
	Now() time.Time
	// Sleep waits d, or returns ctx.Err() when ctx is done first.
	Sleep(ctx context.Context, d time.Duration) error
}

// SystemClock is the wall clock.
type SystemClock struct{}

// Now is time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// Sleep waits d or until ctx is done.
func (SystemClock) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// RunOptions tune Run. Zero values: the SystemClock, a 30 s poll.
type RunOptions struct {
	Clock Clock
	// Poll is the longest wait between Advance() calls (approvals and
	// operator commands arrive from elsewhere). Default: 30 s.
	Poll time.Duration
	// OnAction, when set, sees every action (approvals, notifications and
	// waits included) before the transport does.
	OnAction func(Action)
}

// Run is the host loop: Advance(now), hand every action that needs an
// outcome to the transport and report its results, sleep until the
// rollout's next wakeup (at most Poll), until the rollout is terminal or
// ctx is done. Returns the final status, or the status so far with
// ctx.Err() or the engine's error.
func (r *Rollout) Run(ctx context.Context, t Transport, opts RunOptions) (Status, error) {
	clock := opts.Clock
	if clock == nil {
		clock = SystemClock{}
	}
	poll := opts.Poll
	if poll <= 0 {
		poll = 30 * time.Second
	}
	for !r.Status().Terminal() {
		if err := ctx.Err(); err != nil {
			return r.Status(), err
		}
		actions, err := r.Advance(clock.Now())
		if err != nil {
			return r.Status(), err
		}
		for _, a := range actions {
			if opts.OnAction != nil {
				opts.OnAction(a)
			}
			if !a.NeedsOutcome() {
				continue
			}
			results, terr := t.Execute(ctx, a)
			if err := ctx.Err(); err != nil {
				return r.Status(), err
			}
			if err := r.report(a, results, terr, clock.Now()); err != nil {
				return r.Status(), err
			}
		}
		if r.Status().Terminal() {
			break
		}
		wait := r.NextWakeup().Sub(clock.Now())
		if wait > poll || r.NextWakeup().Equal(Forever) {
			wait = poll
		}
		if len(actions) > 0 || wait < 0 {
			wait = 0
		}
		if err := clock.Sleep(ctx, wait); err != nil {
			return r.Status(), err
		}
	}
	return r.Status(), nil
}

func (r *Rollout) report(a Action, results []TargetResult, terr error, now time.Time) error {
	if len(a.Targets) == 0 {
		reason := ""
		if terr != nil {
			reason = terr.Error()
		}
		return r.ReportActionOutcome(a.ID, terr == nil, reason, now)
	}
	if terr != nil {
		return r.ReportActionOutcome(a.ID, false, fmt.Sprintf("transport: %v", terr), now)
	}
	return r.ReportOutcome(a.ID, results, now)
}
