/*
 * config-track.h - vrrp_track_process and track_file: their blocks at the
 * top level, the track_process { } and track_file { } lists of an
 * instance, and the checks that tie the two together.
 */
#ifndef VIPD_CONFIG_TRACK_H
#define VIPD_CONFIG_TRACK_H

#include "config-priv.h"

/* Top level: vrrp_track_process NAME { }, track_file / vrrp_track_file NAME { }. */
void kw_track_process_def(struct parser *p, struct stmt *st, void *obj);
void kw_track_file_def(struct parser *p, struct stmt *st, void *obj);

/* In a vrrp_instance: track_process { NAME [weight W [reverse]] ... }, track_file { }. */
void kw_inst_track_processes(struct parser *p, struct stmt *st, void *obj);
void kw_inst_track_files(struct parser *p, struct stmt *st, void *obj);

/* In a vrrp_sync_group: the same lists, for every member. */
void kw_group_track_processes(struct parser *p, struct stmt *st, void *obj);
void kw_group_track_files(struct parser *p, struct stmt *st, void *obj);

/* After parsing: defaults, duplicate names, every instance's and group's references resolved. */
void cfg_check_tracks(struct parser *p);

#endif /* VIPD_CONFIG_TRACK_H */
