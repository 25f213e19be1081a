#!/bin/bash
# notify_fifo: state changes written to keepalived's notify FIFOs, one
# line each in keepalived's format, in the order they happen. n1 writes to
# a FIFO the test reads (vrrp_notify_fifo); n2's FIFO is read by the
# script vipd starts for it (vrrp_notify_fifo_script, which gets the FIFO
# as its last argument). n1 (150) becomes master, then stops; n2 (100) is
# backup, then master.

. "$(dirname "$0")/lib.sh"

need_daemon
if is_keepalived; then
	echo "1..0 # SKIP vipd's own test"
	exit 0
fi
topo_create 2

VIP=192.0.2.100

cat >"$TMP/reader.sh" <<EOS
#!/bin/sh
exec cat "\$1" >>"$TMP/n2.lines"
EOS
chmod 755 "$TMP/reader.sh"

{
	conf_global extra=$'\tvrrp_notify_fifo '"$TMP/n1.fifo"
	conf_instance prio=150 advert=0.1
} >"$TMP/n1.conf"
{
	conf_global extra=$'\tvrrp_notify_fifo '"$TMP/n2.fifo"$'\n\tvrrp_notify_fifo_script "'"$TMP/reader.sh"$'"\n\tscript_user root'
	conf_instance prio=100 advert=0.1
} >"$TMP/n2.conf"

# n1's FIFO exists before vipd starts; the test reads it.
mkfifo "$TMP/n1.fifo" || bail "mkfifo"
: >"$TMP/n1.lines"
: >"$TMP/n2.lines"
cat "$TMP/n1.fifo" >>"$TMP/n1.lines" &
READER=$!
register_pid "$READER"

check_start n1 "$TMP/n1.conf"
check_start n2 "$TMP/n2.conf"
check "n1 is the only holder" wait_single_holder n1 $VIP 5
check "n2 made its FIFO" test -p "$TMP/n2.fifo"
check "n1's FIFO says BACKUP then MASTER" wait_until 2 eval \
	"[ \"\$(cat $TMP/n1.lines)\" = \"\$(printf 'INSTANCE \"web\" BACKUP 150\nINSTANCE \"web\" MASTER 150')\" ]"
check "n2's script read BACKUP" wait_until 2 grep -qx 'INSTANCE "web" BACKUP 100' "$TMP/n2.lines"
check_stop n1
check "n1 wrote STOP last, then closed its FIFO (the reader saw the end)" \
	wait_until 2 eval "! kill -0 $READER 2>/dev/null"
check_eq "n1's FIFO lines, in order" \
	'INSTANCE "web" BACKUP 150|INSTANCE "web" MASTER 150|INSTANCE "web" STOP 150|' \
	"$(tr '\n' '|' <"$TMP/n1.lines")"
check "n2 takes over" wait_single_holder n2 $VIP 5
check "n2's script read MASTER after BACKUP" wait_until 2 eval \
	"[ \"\$(cat $TMP/n2.lines)\" = \"\$(printf 'INSTANCE \"web\" BACKUP 100\nINSTANCE \"web\" MASTER 100')\" ]"
check_stop n2
check "n2 removed the FIFO it made" eval "! test -e $TMP/n2.fifo"
check "n1 left the FIFO it did not make" test -p "$TMP/n1.fifo"

done_testing
