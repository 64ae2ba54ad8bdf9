namespace Homelab.Navidrome;

/// <summary>The body of <c>/auth/createAdmin</c>: <c>{"username": ..., "password": ...}</c>.</summary>
internal sealed record AdminAccount(string Username, string Password);
