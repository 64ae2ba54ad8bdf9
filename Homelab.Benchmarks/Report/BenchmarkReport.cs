using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Homelab.Benchmarks.Report;

/// <summary>Collects measurements; writes them as a Markdown table (stdout) and JSON (artifacts).</summary>
internal sealed class BenchmarkReport(MachineInfo machine, bool quick)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private readonly List<Measurement> _rows = [];
    private readonly List<string> _errors = [];

    public IReadOnlyList<Measurement> Rows => _rows;

    public IReadOnlyList<string> Errors => _errors;

    public void Add(Measurement row)
    {
        _rows.Add(row);
        Console.Error.WriteLine($"bench: {row.Scenario} / {row.Metric}: {Format(row.Value, row.Unit)}{(row.Kubectl is { } k ? $" (kubectl {Format(k, row.Unit)})" : string.Empty)}{Verdict(row) switch { "" => string.Empty, var v => " " + v }}");
    }

    public void Error(string scenario, Exception ex)
    {
        _errors.Add($"{scenario}: {ex.GetType().Name}: {ex.Message}");
        Console.Error.WriteLine($"bench: {scenario} FAILED: {ex}");
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {machine.Processors} cores, {machine.MemoryMiB / 1024.0:0.#} GiB, {machine.Os}, {machine.Runtime}, kubectl {machine.Kubectl}; load average {machine.LoadAverageAtStart} at start, {machine.LoadAverageAtEnd} at end. Date: {machine.Date}.{(quick ? " QUICK run (reduced sizes; timings not meaningful)." : string.Empty)}");
        text.AppendLine();
        text.AppendLine("| Scenario | Metric | Homelab | kubectl | kubectl / Homelab | Target | Result |");
        text.AppendLine("|---|---|---:|---:|---:|---|---|");
        foreach (var row in _rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Scenario} | {row.Metric} | {Format(row.Value, row.Unit)} | {(row.Kubectl is { } k ? Format(k, row.Unit) : "")} | {(row.Ratio is { } r ? $"{r:0.0}x" : "")} | {row.Target} | {Verdict(row)} |");
        }

        var notes = _rows.Where(r => r.Note is not null).Select(r => $"- {r.Scenario} / {r.Metric}: {r.Note}").Distinct().ToList();
        if (notes.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Notes:");
            notes.ForEach(n => text.AppendLine(n));
        }

        if (_errors.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Errors:");
            _errors.ForEach(e => text.AppendLine(CultureInfo.InvariantCulture, $"- {e}"));
        }

        return text.ToString();
    }

    public async Task WriteJsonAsync(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var document = new
        {
            machine,
            quick,
            measurements = _rows.Select(r => new { r.Scenario, r.Metric, r.Value, r.Unit, r.Kubectl, r.Ratio, r.Target, result = Verdict(r) is { Length: > 0 } v ? v : null, r.Note }),
            errors = _errors,
        };
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(document, Json));
    }

    private static string Verdict(Measurement row) => row.Met switch { true => "PASS", false => "MISS", null => "" };

    private static string Format(double value, string unit) => unit switch
    {
        "s" => value.ToString("0.000", CultureInfo.InvariantCulture) + " s",
        "ms" => value.ToString("0", CultureInfo.InvariantCulture) + " ms",
        "MiB" => value.ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        "" => value.ToString("0.###", CultureInfo.InvariantCulture),
        _ => value.ToString("0.###", CultureInfo.InvariantCulture) + " " + unit,
    };
}
