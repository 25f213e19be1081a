/*
 * fault.c - the reason an instance is in FAULT and its words (see fault.h).
 */
#include <stdio.h>
#include <string.h>

#include "fault.h"

/* Each text is before + subject + after, in both directions. */
struct fault_words {
	const char *raised_before, *raised_after;
	const char *cleared_before, *cleared_after;
};

static const struct fault_words words[FAULT_REASON_COUNT] = {
	[FAULT_REASON_NONE] = { "", "cause not recorded", "", "cause not recorded" },
	[FAULT_REASON_NO_IFACE] = { "interface ", " does not exist", "interface ", " exists again" },
	[FAULT_REASON_LINK_DOWN] = { "interface ", " is down", "interface ", " is up again" },
	[FAULT_REASON_NO_CARRIER] = { "interface ", " is without carrier", "interface ",
				      " has its carrier again" },
	[FAULT_REASON_NO_ADDR4] = { "interface ", " has no IPv4 address to send adverts from",
				    "interface ", " has an address to send adverts from again" },
	[FAULT_REASON_NO_ADDR6] = { "interface ",
				    " has no link-local IPv6 address to send adverts from",
				    "interface ", " has an address to send adverts from again" },
	[FAULT_REASON_VMAC] = { "virtual MAC interface ", " could not be created",
				"virtual MAC interface ", " exists now" },
	[FAULT_REASON_TRACK] = { "", " is down", "", " is up again" },
	[FAULT_REASON_SYNC] = { "sync group ", " has a member in FAULT", "sync group ",
				" has no member in FAULT any more" },
};

void fault_cause_of(unsigned faults, const struct fault_facts *f, struct fault_cause *out)
{
	const char *subject = f->interface;

	if (faults & FAULT_NO_IFACE) {
		out->reason = FAULT_REASON_NO_IFACE;
	} else if (faults & FAULT_LINK) {
		out->reason = f->admin_up ? FAULT_REASON_NO_CARRIER : FAULT_REASON_LINK_DOWN;
	} else if (faults & FAULT_NO_ADDR) {
		out->reason = f->family == AF_INET6 ? FAULT_REASON_NO_ADDR6 : FAULT_REASON_NO_ADDR4;
	} else if (faults & FAULT_VMAC) {
		out->reason = FAULT_REASON_VMAC;
		subject = f->vmac;
	} else if (faults & FAULT_TRACK) {
		out->reason = FAULT_REASON_TRACK;
		subject = f->tracked;
	} else {
		out->reason = FAULT_REASON_SYNC;
		subject = f->group;
	}
	snprintf(out->subject, sizeof(out->subject), "%s", subject ? subject : "");
}

static const char *fault_words_of(const struct fault_cause *c, bool raised, char *buf,
				  size_t size)
{
	const struct fault_words *w =
		&words[c->reason < FAULT_REASON_COUNT ? c->reason : FAULT_REASON_NONE];

	snprintf(buf, size, "%s%s%s", raised ? w->raised_before : w->cleared_before, c->subject,
		 raised ? w->raised_after : w->cleared_after);
	return buf;
}

const char *fault_raised(const struct fault_cause *c, char *buf, size_t size)
{
	return fault_words_of(c, true, buf, size);
}

const char *fault_cleared(const struct fault_cause *c, char *buf, size_t size)
{
	return fault_words_of(c, false, buf, size);
}
