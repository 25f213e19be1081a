/*
 * timeunit.h - the time units vipd converts between, named once. The
 * daemon's clock counts microseconds; the protocol speaks centiseconds
 * (version 3) and seconds (version 2).
 */
#ifndef VIPD_TIMEUNIT_H
#define VIPD_TIMEUNIT_H

#include <stdint.h>

#define NSEC_PER_USEC UINT64_C(1000)
#define USEC_PER_MSEC UINT64_C(1000)
#define USEC_PER_CS UINT64_C(10000)
#define USEC_PER_SEC UINT64_C(1000000)
#define CS_PER_SEC 100

#endif /* VIPD_TIMEUNIT_H */
