// systemd's readiness protocol (Type=notify), without linking libsystemd.
#pragma once

namespace ig::host {

void sd_notify_ready();
void sd_notify_stopping();

}  // namespace ig::host
