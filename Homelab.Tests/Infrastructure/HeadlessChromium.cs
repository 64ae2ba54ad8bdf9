using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Homelab.Tests.Infrastructure;

/// <summary>
/// Debian's <c>chromium</c>, headless, as a person's browser sees a page: <see cref="DumpDomAsync"/> prints the DOM
/// after load (chromium's own <c>--dump-dom</c>); <see cref="StartAsync"/> opens one tab driven over the DevTools
/// protocol (System.Net.WebSockets) to read the live DOM, wait for the page's own reloads, emulate a phone and take
/// screenshots. Each browser gets a fresh profile and the flags that keep it off this machine's closed network.
/// eng/install-interop.sh installs it.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    public const string Executable = "/usr/bin/chromium";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonObject>> _calls = new();
    private readonly ConcurrentDictionary<string, List<TaskCompletionSource>> _events = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _receiving;
    private int _lastId;

    private HeadlessChromium(Process process, string profile, ClientWebSocket socket)
    {
        (_process, _profile, _socket) = (process, profile, socket);
        _receiving = Task.Run(ReceiveAsync);
    }

    /// <summary>The DOM of <paramref name="url"/> after it loaded, as <c>chromium --dump-dom</c> prints it.</summary>
    public static async Task<string> DumpDomAsync(string url)
    {
        var profile = Directory.CreateTempSubdirectory("homelab-chromium-").FullName;
        try
        {
            using var cancel = new CancellationTokenSource(Timeout);
            var result = await ProcessRunner.RunToExitAsync(Executable, [.. Flags(profile), "--dump-dom", url], cancellationToken: cancel.Token);
            Assert.True(result.ExitCode == 0, $"chromium --dump-dom exited {result.ExitCode}: {result.Error}");
            return result.Output;
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }

    /// <summary>A browser with one blank tab of <paramref name="width"/> × <paramref name="height"/> CSS pixels.</summary>
    public static async Task<HeadlessChromium> StartAsync(int width = 1280, int height = 800)
    {
        var profile = Directory.CreateTempSubdirectory("homelab-chromium-").FullName;
        var process = ProcessRunner.Start(Executable, [.. Flags(profile), "--remote-debugging-port=0", $"--window-size={width},{height}", "about:blank"]);
        // Drained, or a chatty browser blocks on a full pipe.
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        try
        {
            // Chromium writes the port it chose, and the browser's socket path, to this file once it listens.
            var portFile = Path.Combine(profile, "DevToolsActivePort");
            var started = Stopwatch.StartNew();
            while (!File.Exists(portFile) || File.ReadAllLines(portFile).Length < 2)
            {
                Assert.True(started.Elapsed < Timeout && !process.HasExited, "chromium did not open its DevTools port");
                await Task.Delay(50);
            }

            var port = int.Parse(File.ReadAllLines(portFile)[0], CultureInfo.InvariantCulture);
            using var http = new HttpClient();
            var targets = JsonNode.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/json/list")))!.AsArray();
            var page = targets.OfType<JsonObject>().First(t => t["type"]?.GetValue<string>() == "page");
            var socket = new ClientWebSocket();
            await socket.ConnectAsync(new Uri(page["webSocketDebuggerUrl"]!.GetValue<string>()), CancellationToken.None);
            var browser = new HeadlessChromium(process, profile, socket);
            await browser.CallAsync("Page.enable");
            await browser.CallAsync("Runtime.enable");
            return browser;
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Opens <paramref name="url"/> and waits for its load event.</summary>
    public async Task NavigateAsync(string url)
    {
        var loaded = NextEvent("Page.loadEventFired");
        await CallAsync("Page.navigate", new JsonObject { ["url"] = url });
        await loaded.WaitAsync(Timeout);
    }

    /// <summary>Completes at the tab's next load event (a reload the page does by itself counts).</summary>
    public Task NextLoadAsync() => NextEvent("Page.loadEventFired");

    /// <summary>Runs <paramref name="script"/> before any of every page's own scripts (the DevTools protocol is not bound by the page's CSP).</summary>
    public Task BeforeEveryPageAsync(string script) =>
        CallAsync("Page.addScriptToEvaluateOnNewDocument", new JsonObject { ["source"] = script });

    /// <summary>The value of a JavaScript expression evaluated in the page.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var answer = await CallAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true });
        Assert.True(answer["exceptionDetails"] is null, $"{expression} threw: {answer["exceptionDetails"]?.ToJsonString()}");
        return answer["result"]?["value"]?.DeepClone();
    }

    /// <summary>Emulates a phone: <paramref name="width"/> CSS pixels wide, a mobile viewport (the page's meta viewport counts).</summary>
    public Task EmulatePhoneAsync(int width, int height) => CallAsync("Emulation.setDeviceMetricsOverride", new JsonObject
    {
        ["width"] = width,
        ["height"] = height,
        ["deviceScaleFactor"] = 1,
        ["mobile"] = true,
    });

    /// <summary>Tells the page the system prefers a dark (or light) colour scheme, as a phone in dark mode does.</summary>
    public Task PreferColorSchemeAsync(string scheme) => CallAsync("Emulation.setEmulatedMedia", new JsonObject
    {
        ["features"] = new JsonArray(new JsonObject { ["name"] = "prefers-color-scheme", ["value"] = scheme }),
    });

    /// <summary>A PNG of the whole page as laid out now.</summary>
    public async Task<byte[]> ScreenshotAsync()
    {
        var answer = await CallAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true });
        return Convert.FromBase64String(answer["data"]!.GetValue<string>());
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await _receiving;
        }
        catch (OperationCanceledException)
        {
        }

        _socket.Dispose();
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _stopping.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // The browser's last writes may still be landing; the test's temporary folder goes at the end of the run.
        }
    }

    /// <summary>
    /// As the probe that checked this machine ran it: headless as root needs --no-sandbox, and without the
    /// network flags chromium keeps dialling Google's hosts, which this machine refuses.
    /// </summary>
    private static string[] Flags(string profile) =>
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--no-default-browser-check",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
        "--hide-scrollbars", "--mute-audio", $"--user-data-dir={profile}",
    ];

    private async Task<JsonObject> CallAsync(string method, JsonObject? parameters = null)
    {
        var id = Interlocked.Increment(ref _lastId);
        var answer = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _calls[id] = answer;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? [] };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        var reply = await answer.Task.WaitAsync(Timeout);
        Assert.True(reply["error"] is null, $"{method}: {reply["error"]?.ToJsonString()}");
        return reply["result"] as JsonObject ?? [];
    }

    private Task NextEvent(string method)
    {
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiting = _events.GetOrAdd(method, _ => []);
        lock (waiting)
        {
            waiting.Add(fired);
        }

        return fired.Task;
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (!_stopping.IsCancellationRequested && _socket.State == WebSocketState.Open)
        {
            message.SetLength(0);
            WebSocketReceiveResult received;
            do
            {
                received = await _socket.ReceiveAsync(buffer, _stopping.Token);
                message.Write(buffer, 0, received.Count);
            }
            while (!received.EndOfMessage && received.MessageType != WebSocketMessageType.Close);

            if (received.MessageType == WebSocketMessageType.Close || JsonNode.Parse(message.ToArray()) is not JsonObject json)
            {
                return;
            }

            if (json["id"] is { } id && _calls.TryRemove(id.GetValue<int>(), out var call))
            {
                call.TrySetResult(json);
            }
            else if (json["method"]?.GetValue<string>() is { } method && _events.TryGetValue(method, out var waiting))
            {
                lock (waiting)
                {
                    waiting.ForEach(w => w.TrySetResult());
                    waiting.Clear();
                }
            }
        }
    }
}
