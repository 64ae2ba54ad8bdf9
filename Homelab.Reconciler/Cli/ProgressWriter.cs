using Homelab.Reconciler.Apply;

namespace Homelab.Reconciler.Cli;

/// <summary>Prints "applying 120/500" as work goes, at most every 10% (and the last step), so large applies are never silent.</summary>
internal sealed class ProgressWriter(TextWriter error) : IProgress<ApplyProgress>
{
    private readonly Lock _lock = new();
    private string _phase = string.Empty;
    private int _lastPercent = -1;

    public void Report(ApplyProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_lock)
        {
            var percent = value.Total == 0 ? 100 : value.Done * 100 / value.Total;
            if (value.Phase != _phase)
            {
                _phase = value.Phase;
                _lastPercent = -1;
            }

            if (percent / 10 > _lastPercent / 10 || value.Done == value.Total)
            {
                _lastPercent = percent;
                error.WriteLine($"{value.Phase} {value.Done}/{value.Total}");
            }
        }
    }
}
