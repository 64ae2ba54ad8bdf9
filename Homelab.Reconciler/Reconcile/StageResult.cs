using System.Diagnostics.CodeAnalysis;

namespace Homelab.Reconciler.Reconcile;

/// <summary>What a stage returned, or why it failed: never both.</summary>
internal sealed class StageResult<T>
{
    private readonly T? _value;

    private StageResult(T? value, StageFailure? failure) => (_value, Failure) = (value, failure);

    public StageFailure? Failure { get; }

    [MemberNotNullWhen(true, nameof(Failure))]
    public bool Failed => Failure is not null;

    /// <summary>The stage's data; only after <see cref="Failed"/> said false.</summary>
    public T Value => Failed ? throw new InvalidOperationException($"the stage failed: {Failure.Message}") : _value!;

    public static StageResult<T> Of(T value) => new(value, null);

    public static StageResult<T> Of(StageFailure failure) => new(default, failure);
}
