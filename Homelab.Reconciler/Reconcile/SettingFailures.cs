using Microsoft.Extensions.Options;

namespace Homelab.Reconciler.Reconcile;

/// <summary>
/// What an options validator found, in the one wording every setting's message uses:
/// <c>Section:Setting rule (got 'value')</c>, the setting named as the user writes it.
/// </summary>
internal sealed class SettingFailures(string section)
{
    private readonly List<string> _failures = [];

    public void Require(bool condition, string setting, string rule, object? value)
    {
        if (!condition)
        {
            _failures.Add($"{section}:{setting} {rule} (got '{value}')");
        }
    }

    public ValidateOptionsResult Result() => _failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_failures);
}
