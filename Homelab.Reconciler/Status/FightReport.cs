namespace Homelab.Reconciler.Status;

/// <summary>Someone else keeps changing an object back: which object, who, and the line <c>/status</c> shows.</summary>
/// <param name="Target">The object, as kubectl prints it (<c>Kind/namespace/name</c>).</param>
/// <param name="Manager">The other writer's field manager.</param>
/// <param name="Message">One line for people.</param>
public sealed record FightReport(string Target, string Manager, string Message);
