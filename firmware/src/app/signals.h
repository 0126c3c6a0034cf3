#pragma once

namespace hm::app {

// Blocks SIGINT and SIGTERM in the calling thread and every thread it starts later,
// so that only wait_for_termination_signal() ever sees them. Call first in main paths
// that start threads.
void block_termination_signals();

// Waits for SIGINT or SIGTERM; returns the signal number.
int wait_for_termination_signal();

}  // namespace hm::app
