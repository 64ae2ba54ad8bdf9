using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Homelab.Tests.Reconciler.Source;

/// <summary>
/// Real smart HTTP: <c>git http-backend</c> behind a minimal CGI shim on 127.0.0.1, which
/// requires Basic auth whose password is <see cref="Token"/> (as GitHub does with tokens), except for
/// repositories made public, which anyone may read.
/// It counts upload-pack POSTs, i.e. fetches, so tests can prove that none happened.
/// With <see cref="Certificate"/> it serves https (a private Git server with its own CA).
/// </summary>
public sealed class GitHttpBackendShim : IAsyncLifetime
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _public = new(StringComparer.Ordinal);
    private WebApplication? _app;
    private int _fetches;

    /// <summary>The server certificate (with its key) for https; null: plain http.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>The token the server accepts as the Basic auth password.</summary>
    public string Token { get; } = "http-s3cr3t-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>The directory whose repositories the server exports.</summary>
    public string ProjectRoot { get; } = Path.Combine(Path.GetTempPath(), "homelab-githttp-" + Guid.NewGuid().ToString("N"));

    /// <summary>The server's base address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseAddress { get; private set; } = string.Empty;

    /// <summary>How many fetches (upload-pack POSTs) the server has answered.</summary>
    public int Fetches => Volatile.Read(ref _fetches);

    /// <summary>The URL of a repository directory under <see cref="ProjectRoot"/>.</summary>
    public string UrlOf(string name) => $"{BaseAddress}/{name}";

    /// <summary>The URL of a repository with <paramref name="host"/> (e.g. <c>localhost</c>, a name its certificate holds) for the loopback address.</summary>
    public string UrlOf(string name, string host) => $"{BaseAddress.Replace("127.0.0.1", host, StringComparison.Ordinal)}/{name}";

    /// <summary>Serves the repository <paramref name="name"/> without credentials, as a public GitHub repository.</summary>
    public void MakePublic(string name) => _public[name] = true;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ProjectRoot);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (Certificate is not null)
            {
                listen.UseHttps(Certificate);
            }
        }));
        _app = builder.Build();
        _app.Run(HandleAsync);
        await _app.StartAsync();
        BaseAddress = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        try
        {
            Directory.Delete(ProjectRoot, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (!IsPublic(context.Request) && !Authorized(context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"git\"";
            return;
        }

        if (HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Value!.EndsWith("/git-upload-pack", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _fetches);
        }

        var start = new ProcessStartInfo("git")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("http-backend");
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        start.Environment["GIT_PROJECT_ROOT"] = ProjectRoot;
        start.Environment["GIT_HTTP_EXPORT_ALL"] = "1";
        start.Environment["REQUEST_METHOD"] = context.Request.Method;
        start.Environment["PATH_INFO"] = context.Request.Path.Value;
        start.Environment["QUERY_STRING"] = context.Request.QueryString.Value?.TrimStart('?') ?? string.Empty;
        start.Environment["CONTENT_TYPE"] = context.Request.ContentType ?? string.Empty;
        start.Environment["REMOTE_USER"] = "git";
        start.Environment["REMOTE_ADDR"] = "127.0.0.1";
        if (context.Request.ContentLength is { } length)
        {
            start.Environment["CONTENT_LENGTH"] = length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (context.Request.Headers.ContentEncoding.Count > 0)
        {
            start.Environment["HTTP_CONTENT_ENCODING"] = context.Request.Headers.ContentEncoding.ToString();
        }

        if (context.Request.Headers.TryGetValue("Git-Protocol", out var protocol))
        {
            start.Environment["GIT_PROTOCOL"] = protocol.ToString();
        }

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var input = Task.Run(async () =>
        {
            await context.Request.Body.CopyToAsync(process.StandardInput.BaseStream);
            process.StandardInput.Close();
        });

        // CGI: header lines, a blank line, then the body.
        var output = process.StandardOutput.BaseStream;
        while (await ReadLineAsync(output) is { Length: > 0 } line)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var (name, value) = (line[..colon].Trim(), line[(colon + 1)..].Trim());
            if (name.Equals("Status", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.StatusCode = int.Parse(value[..3], System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                context.Response.Headers[name] = value;
            }
        }

        await output.CopyToAsync(context.Response.Body);
        await input;
        await errors;
        await process.WaitForExitAsync();
    }

    private bool IsPublic(HttpRequest request) =>
        request.Path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() is { } name && _public.ContainsKey(name);

    private bool Authorized(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return false;
        }

        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..]));
        return decoded[(decoded.IndexOf(':', StringComparison.Ordinal) + 1)..] == Token;
    }

    private static async Task<string?> ReadLineAsync(Stream stream)
    {
        var bytes = new List<byte>();
        var buffer = new byte[1];
        while (await stream.ReadAsync(buffer) == 1)
        {
            if (buffer[0] == '\n')
            {
                return Encoding.ASCII.GetString([.. bytes]).TrimEnd('\r');
            }

            bytes.Add(buffer[0]);
        }

        return bytes.Count == 0 ? null : Encoding.ASCII.GetString([.. bytes]);
    }
}
