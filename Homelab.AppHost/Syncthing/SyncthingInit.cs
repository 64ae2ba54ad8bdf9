namespace Homelab.AppHost.Syncthing;

/// <summary>
/// The init step that gives Syncthing its identity and writes its GUI user and password before the GUI starts.
/// Secrets reach it in the environment: the identity is written to cert.pem and key.pem by the shell itself, the
/// password goes to <c>syncthing generate --gui-password -</c> on standard input; never in an argument, which
/// <c>podman inspect</c>, <c>ps</c> and the published manifest show.
/// </summary>
internal static class SyncthingInit
{
    /// <summary>The environment variable holding the GUI password.</summary>
    public const string PasswordVariable = "SYNCTHING_GUI_PASSWORD";

    /// <summary>The environment variable holding the identity (<see cref="SyncthingIdentity.Value"/>: cert.pem's block, then key.pem's).</summary>
    public const string IdentityVariable = "SYNCTHING_IDENTITY";

    /// <summary>The shell both the official image (busybox) and the local stand-in (dash) have.</summary>
    public const string Shell = "/bin/sh";

    /// <summary>What the init logs when the volume held another identity (followed by both device IDs).</summary>
    public const string ReplacedMessage = "syncthing-init: the volume held another identity";

    /// <summary>
    /// As root (the official image run locally), it does what the image's entrypoint does: own the home and drop to
    /// PUID:PGID (default 1000) with su-exec, so the files it writes belong to the user the GUI container runs as. In
    /// a cluster it already runs as that user; the stand-in image has no su-exec.
    /// <para>
    /// The identity is written before <c>syncthing generate</c>, which keeps the keys it finds. The model's identity
    /// wins over one already on the volume (Git is the source of truth: a wiped volume or a new cluster comes back
    /// the same), but a different pair on the volume is never lost: it is kept as cert.pem.bak and key.pem.bak
    /// (.bak.1, .bak.2, … when those exist) and both device IDs are logged. Only shell built-ins write the files:
    /// the stand-in image has no coreutils. Without an identity (a cluster whose Secret predates it) the volume's
    /// is kept, as before. The patterns spell no whole PEM marker, so nothing in the published tree looks like a key.
    /// </para>
    /// </summary>
    public static string Script { get; } = $$"""
        set -e
        run=
        if command -v su-exec >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
          chown "${PUID:-1000}:${PGID:-1000}" {{SyncthingResource.HomePath}} {{SyncthingResource.ConfigPath}}
          run="su-exec ${PUID:-1000}:${PGID:-1000}"
        fi
        if [ -n "${{{IdentityVariable}}:-}" ]; then
          umask 077
          cd {{SyncthingResource.ConfigPath}}
          nl='
        '
          cr=$(printf '\r')
          cert= key= into=
          while IFS= read -r line; do
            line=${line%"$cr"}
            case $line in
              *'BEGIN CERTIFICATE'*) into=cert ;;
              *BEGIN*'KEY-----') into=key ;;
            esac
            case $into in
              cert) cert=$cert$line$nl ;;
              key) key=$key$line$nl ;;
            esac
            case $line in *'END '*) into= ;; esac
          done <<IDENTITY
        ${{{IdentityVariable}}}
        IDENTITY
          if [ -z "$cert" ] || [ -z "$key" ]; then
            echo "syncthing-init: {{IdentityVariable}} holds no certificate and key block" >&2
            exit 1
          fi
          slurp() { text=; [ -f "$1" ] || return 0; while IFS= read -r l || [ -n "$l" ]; do text=$text$l$nl; done <"$1"; }
          slurp cert.pem; oldcert=$text
          slurp key.pem; oldkey=$text
          bak=
          if [ -n "$oldcert$oldkey" ] && { [ "$oldcert" != "$cert" ] || [ "$oldkey" != "$key" ]; }; then
            old=$($run /bin/syncthing --device-id --home {{SyncthingResource.ConfigPath}} 2>/dev/null) || old=unreadable
            bak=.bak n=0
            while [ -e "cert.pem$bak" ] || [ -e "key.pem$bak" ]; do n=$((n + 1)); bak=.bak.$n; done
            printf '%s' "$oldcert" >"cert.pem$bak"
            printf '%s' "$oldkey" >"key.pem$bak"
          fi
          printf '%s' "$cert" >cert.pem
          printf '%s' "$key" >key.pem
          if command -v chmod >/dev/null 2>&1; then chmod 600 cert.pem key.pem; fi
          if [ -n "$run" ]; then chown "${PUID:-1000}:${PGID:-1000}" cert.pem key.pem ${bak:+"cert.pem$bak" "key.pem$bak"}; fi
          new=$($run /bin/syncthing --device-id --home {{SyncthingResource.ConfigPath}})
          if [ -n "$bak" ]; then
            echo "{{ReplacedMessage}} (device ID $old): the model's (device ID $new) replaces it; the old pair is kept as cert.pem$bak and key.pem$bak"
          else
            echo "syncthing-init: device ID $new (the model's identity)"
          fi
        else
          echo "syncthing-init: no identity given ({{IdentityVariable}} is empty): the volume's is kept, or a new one made" >&2
        fi
        printf '%s' "${{PasswordVariable}}" | exec $run /bin/syncthing generate --home {{SyncthingResource.ConfigPath}} --gui-user {{SyncthingResource.GuiUser}} --gui-password - --no-default-folder --skip-port-probing
        """;
}
