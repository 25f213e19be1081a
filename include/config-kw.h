/*
 * config-kw.h - the keyword tables of vipd.conf, one per block, whose
 * handlers fill struct vipd_config. Names used before their definition
 * (sync group members, gateways) are recorded in the parser's refs and
 * resolved by cfg_check_all().
 */
#ifndef VIPD_CONFIG_KW_H
#define VIPD_CONFIG_KW_H

#include "config-priv.h"

/* The keywords allowed at the top level of the file; the root of the grammar. */
extern const struct block_def cfg_top_block;

#endif /* VIPD_CONFIG_KW_H */
