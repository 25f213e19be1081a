/*
 * exporter.h - "vipctl metrics --listen": serve the daemon's metrics over
 * HTTP for Prometheus, reading them from the control socket at each scrape.
 */
#ifndef VIPD_EXPORTER_H
#define VIPD_EXPORTER_H

/*
 * Listen on listen_spec ("ADDR:PORT", "[ADDR]:PORT" or ":PORT") and answer
 * GET /metrics with the metrics read from the control socket sock, plus
 * vipd_up (1, or 0 when the daemon did not answer). Runs until killed;
 * returns an exit status (2: cannot listen, 3: accept failed).
 */
int exporter_run(const char *listen_spec, const char *sock);

#endif
