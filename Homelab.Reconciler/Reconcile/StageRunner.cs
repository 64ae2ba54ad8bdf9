using System.Diagnostics;
using Homelab.Kustomize;
using Homelab.Reconciler.Apply;
using Homelab.Reconciler.Kubernetes;
using Homelab.Reconciler.Source;
using Homelab.Reconciler.Telemetry;

namespace Homelab.Reconciler.Reconcile;

/// <summary>
/// Runs the stages of one cycle, each under its span, and turns whatever a stage throws into its typed
/// <see cref="StageFailure"/>: no exception leaves a stage but the cancellation the caller asked for.
/// </summary>
internal sealed class StageRunner(CancellationToken cancellationToken)
{
    /// <param name="stage">Which stage: its span, reason and what it reaches.</param>
    /// <param name="body">The stage's work, given its span for tags.</param>
    /// <param name="note">Said after the message of a failure of the stage's own (not of the state directory).</param>
    public async Task<StageResult<T>> RunAsync<T>(Stage stage, Func<Activity?, Task<T>> body, Func<string>? note = null)
    {
        using var span = stage.Span is null ? null : ReconcilerTelemetry.Source.StartActivity(stage.Span);
        try
        {
            return StageResult<T>.Of(await body(span).ConfigureAwait(false));
        }
        catch (Exception ex) when (IsFailure(ex, cancellationToken))
        {
            span?.SetStatus(ActivityStatusCode.Error, ex.Message);
            return StageResult<T>.Of(ex is StateDirectoryException
                ? new StageFailure(ReconcileReason.StateDirectoryUnavailable, Blocker.StateDirectory, ex.Message)
                : new StageFailure(ex is FileContentException && stage.UnreadableFileFailsWith is { } refused ? refused : stage.FailsWith, Unreached(stage.Reaches, ex), stage.Context + Describe(ex) + note?.Invoke(), FileOf(ex)));
        }
    }

    /// <summary>Every exception is a failure of its stage, except the cancellation the caller asked for.</summary>
    public static bool IsFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested;

    /// <summary>
    /// What the failure says was out of reach. Git: unless it answered with something unusable (a commit over a
    /// limit, no such ref), which a push can fix. The API server: see <see cref="ApiServerUnreached"/>.
    /// </summary>
    private static Blocker Unreached(Blocker reaches, Exception ex) => reaches switch
    {
        Blocker.Git => ex is SourceException { RemoteAnswered: true } ? Blocker.None : Blocker.Git,
        Blocker.ApiServer => ApiServerUnreached(ex) ? Blocker.ApiServer : Blocker.None,
        _ => reaches,
    };

    /// <summary>
    /// True when the server did not answer (connection, TLS, a dropped stream) or refused our credentials
    /// (401); false for any other answer, such as a validation refusal or a 403: the server is there and a
    /// push can fix what it refused.
    /// </summary>
    private static bool ApiServerUnreached(Exception ex)
    {
        var pending = new Stack<Exception>([ex]);
        while (pending.TryPop(out var current))
        {
            if (current is HttpRequestException or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException or TimeoutException or IOException
                || current is KubeApiException { StatusCode: System.Net.HttpStatusCode.Unauthorized })
            {
                return true;
            }

            foreach (var inner in current is AggregateException aggregate ? aggregate.InnerExceptions : current.InnerException is { } one ? [one] : [])
            {
                pending.Push(inner);
            }
        }

        return false;
    }

    /// <summary>The file a build error names (relative to the repository root), for whoever reports the failure; null when none.</summary>
    private static string? FileOf(Exception ex) => ex is BuildException { File.Length: > 0 } build ? build.File : null;

    /// <summary>The stage's own errors say what went wrong; anything else also says what kind of error it was.</summary>
    private static string Describe(Exception ex) =>
        ex is SourceException or BuildException or ApplyException or KubeApiException
            ? ex.Message
            : $"{ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")}";
}
