using Homelab.AppHost.Syncthing;

namespace Homelab.AppHost.Backups;

/// <summary>
/// The sidecar that snapshots Syncthing's identity and settings (<c>config.xml</c>, <c>cert.pem</c>,
/// <c>key.pem</c>, and the GUI's HTTPS pair when present) into <c>/backups/&lt;UTC timestamp&gt;/</c> on
/// the schedule, keeping the newest <c>BACKUP_KEEP</c>. A POSIX sh script with busybox tools: the
/// Syncthing image has nothing else, and the sidecar reuses it, so there is no other image to pin.
/// With the argument <c>now</c> it takes one snapshot and exits (what "Back up now" runs).
/// </summary>
internal static class SyncthingBackup
{
    /// <summary>Where the sidecar writes (the backup folder's <c>syncthing</c> subfolder).</summary>
    public const string BackupPath = "/backups";

    public const string ScheduleVariable = "BACKUP_SCHEDULE";
    public const string KeepVariable = "BACKUP_KEEP";

    /// <summary>The files that make a device itself: its key pair (the device ID) and its folders and devices.</summary>
    public static readonly string[] Files = ["config.xml", "cert.pem", "key.pem", "https-cert.pem", "https-key.pem"];

    /// <summary>The argument that makes the script take one snapshot and exit.</summary>
    public const string NowArgument = "now";

    /// <summary>Run as <c>/bin/sh -c Script syncthing-backup [now]</c>.</summary>
    public static string Script { get; } = string.Join(
        "\n",
        // No globbing: a cron field's * must stay a *.
        "set -fu",
        // The default field separators, restored after a cron field is split on commas.
        "ifs=$IFS",
        $"src={SyncthingResource.ConfigPath}",
        $"dest={BackupPath}",
        "snapshot() {",
        "  if [ ! -f \"$src/config.xml\" ]; then echo \"backup: no $src/config.xml yet\"; return 0; fi",
        "  ts=$(date -u +%Y%m%dT%H%M%SZ)",
        // Two snapshots in one second would nest: wait for the next name.
        "  while [ -e \"$dest/$ts\" ]; do sleep 1; ts=$(date -u +%Y%m%dT%H%M%SZ); done",
        // A partial copy is a dot folder: never counted, never restored from.
        "  tmp=\"$dest/.partial-$ts\"",
        "  mkdir -p \"$tmp\" || return 1",
        $"  for f in {string.Join(' ', Files)}; do",
        "    if [ -f \"$src/$f\" ]; then cp -p \"$src/$f\" \"$tmp/$f\" || { rm -rf \"$tmp\"; return 1; }; fi",
        "  done",
        // As root (the official image run locally), the copy belongs to whoever owns the backup folder.
        "  if [ \"$(id -u)\" = 0 ]; then chown -R \"$(stat -c %u:%g \"$dest\")\" \"$tmp\"; fi",
        "  mv \"$tmp\" \"$dest/$ts\" || return 1",
        "  echo \"backup: $dest/$ts\"",
        "  n=0",
        "  for old in $(ls -1 \"$dest\" | sort -r); do",
        "    case \"$old\" in [0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]T[0-9][0-9][0-9][0-9][0-9][0-9]Z) ;; *) continue ;; esac",
        "    n=$((n + 1))",
        $"    if [ \"$n\" -gt \"${KeepVariable}\" ]; then rm -rf \"${{dest:?}}/$old\" && echo \"backup: removed $old\"; fi",
        "  done",
        "}",
        // matches FIELD VALUE MIN: one cron field (*, */N, N, N-M, lists) against a value.
        "matches() {",
        "  IFS=,",
        "  for part in $1; do",
        "    case \"$part\" in",
        "      '*') IFS=$ifs; return 0 ;;",
        "      '*/'*) if [ $((($2 - $3) % ${part#*/})) -eq 0 ]; then IFS=$ifs; return 0; fi ;;",
        "      *-*) if [ \"$2\" -ge \"${part%-*}\" ] && [ \"$2\" -le \"${part#*-}\" ]; then IFS=$ifs; return 0; fi ;;",
        "      *) if [ \"$2\" -eq \"$part\" ]; then IFS=$ifs; return 0; fi ;;",
        "    esac",
        "  done",
        "  IFS=$ifs",
        "  return 1",
        "}",
        // due: the schedule names this minute. Day of month and day of week: either, when both are restricted (as cron).
        "due() {",
        $"  set -- ${ScheduleVariable}",
        "  now=$(date -u '+%M %H %d %m %w')",
        "  mi=${now%% *}; now=${now#* }; ho=${now%% *}; now=${now#* }; dm=${now%% *}; now=${now#* }; mo=${now%% *}; dw=${now#* }",
        "  mi=${mi#0}; ho=${ho#0}; dm=${dm#0}; mo=${mo#0}",
        "  matches \"$1\" \"$mi\" 0 && matches \"$2\" \"$ho\" 0 && matches \"$4\" \"$mo\" 1 || return 1",
        "  if [ \"$3\" != '*' ] && [ \"$5\" != '*' ]; then matches \"$3\" \"$dm\" 1 || matches \"$5\" \"$dw\" 0; return; fi",
        "  matches \"$3\" \"$dm\" 1 && matches \"$5\" \"$dw\" 0",
        "}",
        $"if [ \"${{1:-}}\" = {NowArgument} ]; then snapshot; exit $?; fi",
        // PID 1 ignores SIGTERM without a handler; `wait` lets the handler run during the sleep.
        "trap 'exit 0' TERM INT",
        $"echo \"backup: every '${ScheduleVariable}' (UTC), keeping ${KeepVariable}\"",
        "while :; do",
        "  s=$(date -u +%S); s=${s#0}",
        "  sleep $((60 - s)) & wait $!",
        "  if due; then snapshot || echo 'backup: failed'; fi",
        "done");

    /// <summary>The command that takes one snapshot inside the running sidecar.</summary>
    public static IReadOnlyList<string> NowCommand { get; } = ["/bin/sh", "-c", Script, "syncthing-backup", NowArgument];
}
