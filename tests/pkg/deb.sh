#!/bin/bash
# deb: the Debian package. Builds vipd_<version>_<arch>.deb from a copy of
# the source tree with dpkg-buildpackage, runs lintian on it, installs it
# with apt, checks what is in place (programs, man pages, samples, the unit
# enabled, the script user), then removes and purges it and checks that
# nothing is left but the system user, which Debian keeps.
#
# The package is installed on this machine for about a minute: vipd's
# binaries under /usr/sbin and the vipd_script user. The user is deleted at
# the end when it did not exist before, so that later tests do not find
# scripts running as it. Skipped when vipd is already installed as a
# package (the test would remove it).

. "$(dirname "$0")/../net/lib.sh"

for tool in dpkg-buildpackage lintian apt-get; do
	command -v "$tool" >/dev/null || {
		echo "1..0 # SKIP needs $tool (apt-get install debhelper dpkg-dev lintian)"
		trap - EXIT
		exit 0
	}
done
if dpkg-query -W -f='${Status}' vipd 2>/dev/null | grep -q 'ok installed'; then
	echo "1..0 # SKIP the vipd package is installed on this machine already"
	trap - EXIT
	exit 0
fi

user_existed=0
getent passwd vipd_script >/dev/null && user_existed=1
installed=0

pkg_cleanup() {
	if [ $installed -eq 1 ]; then
		apt-get purge -y -qq vipd >"$TMP/cleanup-purge.log" 2>&1
	fi
	if [ $user_existed -eq 0 ] && getent passwd vipd_script >/dev/null; then
		userdel vipd_script 2>/dev/null
		getent group vipd_script >/dev/null && groupdel vipd_script 2>/dev/null
	fi
}
trap '_rc=$?; pkg_cleanup; (exit $_rc); cleanup' EXIT

# A copy of the tracked sources, so the build writes nothing into the tree
# (dpkg-buildpackage puts the .deb into the parent directory).
src=$TMP/src/vipd
mkdir -p "$src"
if git -C "$VIPD_SRCDIR" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	(cd "$VIPD_SRCDIR" && git ls-files -z --cached --others --exclude-standard |
		xargs -0 tar -cf - 2>/dev/null) | tar -xf - -C "$src"
else
	tar -C "$VIPD_SRCDIR" --exclude=./build --exclude='./build*' -cf - . | tar -xf - -C "$src"
fi
check "the sources copied, with debian/" test -x "$src/debian/rules"

# nocheck: the unit tests that debian/rules runs have run already.
version=$(cd "$src" && dpkg-parsechangelog -S Version)
arch=$(dpkg --print-architecture)
deb=$TMP/src/vipd_${version}_${arch}.deb
t0=$(now_us)
check "dpkg-buildpackage -us -uc -b builds" \
	eval "cd '$src' && DEB_BUILD_OPTIONS='nocheck parallel=$(nproc)' dpkg-buildpackage -us -uc -b >'$TMP/build.log' 2>&1"
diag "package build: $(elapsed_ms "$t0") ms"
check "vipd_${version}_${arch}.deb is there" test -f "$deb" || bail "no package" "$(tail -n 30 "$TMP/build.log")"

# lintian: no error, no warning but those overridden with a reason.
check "lintian: no errors, no warnings" \
	lintian --fail-on error,warning --info "$TMP/src/vipd_${version}_${arch}.changes"
diag "lintian --info: $(lintian --info "$TMP/src/vipd_${version}_${arch}.changes" 2>&1 |
	grep -v 'running with root privileges' | grep -c .) tags"

contents=$(dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|')
for f in /usr/sbin/vipd /usr/sbin/vipctl /usr/sbin/vipdump /lib/systemd/system/vipd.service \
	/usr/share/man/man8/vipd.8.gz /usr/share/man/man5/vipd.conf.5.gz \
	/usr/share/man/man8/vipctl.8.gz /usr/share/man/man8/vipdump.8.gz \
	/usr/share/doc/vipd/examples/vipd.conf /usr/share/doc/vipd/examples/vipd-node2.conf \
	/usr/share/doc/vipd/examples/vipd-alerts.yml /usr/share/doc/vipd/examples/vipd-exporter.service; do
	check "the package holds $f" grep -qx "$f" <<<"$contents"
done
conffiles=$(dpkg-deb -f "$deb" >/dev/null; dpkg-deb --ctrl-tarfile "$deb" | tar -xOf - ./conffiles 2>/dev/null)
missing=
for f in $(grep '^/etc/.*[^/]$' <<<"$contents"); do
	grep -qx "$f" <<<"$conffiles" || missing="$missing $f"
done
check_eq "every file under /etc is a conffile" "" "$missing"

# Install it as a user would.
check "apt-get install ./vipd_${version}_${arch}.deb" \
	eval "cd '$TMP/src' && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ./vipd_${version}_${arch}.deb >'$TMP/install.log' 2>&1" &&
	installed=1
check_eq "dpkg says vipd is installed" "install ok installed" \
	"$(dpkg-query -W -f='${Status}' vipd 2>/dev/null)"
check "vipd -t accepts the installed sample" /usr/sbin/vipd -t -f /usr/share/doc/vipd/examples/vipd.conf
check "vipd -t accepts the installed unicast sample" \
	/usr/sbin/vipd -t -f /usr/share/doc/vipd/examples/vipd-unicast.conf
check "vipctl runs (--help)" eval "/usr/sbin/vipctl --help | grep -q metrics"
check "vipctl without a daemon says so (exit 3)" \
	eval '/usr/sbin/vipctl -S /nonexistent.sock status; [ $? -eq 3 ]'
for m in man8/vipd.8.gz man5/vipd.conf.5.gz man8/vipctl.8.gz man8/vipdump.8.gz; do
	check "man page $m is installed and renders" \
		eval "zcat /usr/share/man/$m | groff -man -Tutf8 -ww 2>&1 >/dev/null | grep -c . | grep -qx 0"
done
check "vipd.service is enabled (multi-user.target wants it)" \
	test -L /etc/systemd/system/multi-user.target.wants/vipd.service
check "the unit waits for a configuration (ConditionPathExists)" \
	grep -qx 'ConditionPathExists=/etc/vipd.conf' /lib/systemd/system/vipd.service
check "postinst created the system user vipd_script" \
	eval "getent passwd vipd_script | grep -q ':/usr/sbin/nologin$'"
check "vipd_script is a system user (uid < 1000)" \
	eval "[ \$(id -u vipd_script) -lt 1000 ]"
check "no configuration was installed (/etc/vipd.conf absent)" test ! -e /etc/vipd.conf

files=$(dpkg -L vipd | while read -r f; do [ -f "$f" ] && echo "$f"; done)

check "apt-get remove vipd" \
	eval "DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq vipd >'$TMP/remove.log' 2>&1"
check "after remove: /usr/sbin/vipd is gone" test ! -e /usr/sbin/vipd
check "after remove: the user vipd_script is kept" getent passwd vipd_script
check "apt-get purge vipd" \
	eval "DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq vipd >'$TMP/purge.log' 2>&1" &&
	installed=0
left=
for f in $files; do
	[ -e "$f" ] && left="$left $f"
done
check_eq "after purge: none of the package's files is left" "" "$left"
check_eq "after purge: dpkg knows nothing of vipd" "" \
	"$(dpkg-query -W -f='${Status}' vipd 2>/dev/null | grep -v 'not-installed')"
check "after purge: vipd.service no longer enabled" \
	test ! -e /etc/systemd/system/multi-user.target.wants/vipd.service
check "after purge: no deb-systemd-helper state left" \
	eval "! ls /var/lib/systemd/deb-systemd-helper-enabled 2>/dev/null | grep -q vipd"
check "after purge: no /usr/share/doc/vipd" test ! -e /usr/share/doc/vipd
check "after purge: the user vipd_script is kept (Debian keeps system users)" \
	getent passwd vipd_script

done_testing
