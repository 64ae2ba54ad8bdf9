using System.Reflection;
using LibGit2Sharp;

namespace Homelab.Reconciler.Source;

/// <summary>
/// A fetch with a depth. LibGit2Sharp 0.32 has <see cref="FetchOptions.Depth"/> but only
/// <see cref="Repository.Clone(string, string, CloneOptions)"/> hands it to libgit2; <see cref="Commands.Fetch"/>
/// drops it. This calls the internal entry points <see cref="Commands.Fetch"/> calls, with the depth set.
/// They are bound by name once; if an upgrade moves them every fetch fails naming the member (and
/// <c>GitSourceHttpShimTests</c> fails), rather than silently fetching whole histories again.
/// </summary>
internal static class ShallowFetch
{
    private const BindingFlags Internal = BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static;
    private static readonly Lazy<Binding> Bound = new(Bind);

    /// <summary>Fetches <paramref name="refSpecs"/> from the remote <paramref name="remoteName"/>, <paramref name="depth"/> commits deep (0: all).</summary>
    public static void Fetch(Repository repository, string remoteName, IEnumerable<string> refSpecs, FetchOptions options, int depth, string logMessage)
    {
        var binding = Bound.Value;
        var handle = binding.RepositoryHandle.GetValue(repository);
        using var remote = (IDisposable)Invoke(binding.RemoteLookup, null, handle, remoteName, true)!;

        var native = Activator.CreateInstance(binding.FetchOptions, nonPublic: true)!;
        var callbacks = Activator.CreateInstance(binding.Callbacks, Internal, null, [options], null)!;
        binding.CallbacksField.SetValue(native, Invoke(binding.GenerateCallbacks, callbacks));
        binding.TagsField.SetValue(native, options.TagFetchMode ?? TagFetchMode.Auto);
        binding.ProxyField.SetValue(native, Invoke(binding.CreateProxyOptions, options.ProxyOptions));
        binding.DepthField.SetValue(native, depth);
        Invoke(binding.RemoteFetch, null, remote, refSpecs, native, logMessage);

        // The native callbacks point into this object until the fetch returns.
        GC.KeepAlive(callbacks);
    }

    private static object? Invoke(MethodInfo method, object? target, params object?[] arguments) =>
        method.Invoke(target, BindingFlags.DoNotWrapExceptions, null, arguments, null);

    private static Binding Bind()
    {
        var assembly = typeof(Repository).Assembly;
        Type TypeOf(string name) => assembly.GetType(name) ?? throw Missing(name);
        MethodInfo MethodOf(Type type, string name, int parameters) =>
            type.GetMethods(Internal).SingleOrDefault(m => m.Name == name && m.GetParameters().Length == parameters) ?? throw Missing($"{type.Name}.{name}");
        FieldInfo FieldOf(Type type, string name) => type.GetField(name, Internal) ?? throw Missing($"{type.Name}.{name}");

        var proxy = TypeOf("LibGit2Sharp.Core.Proxy");
        var fetchOptions = TypeOf("LibGit2Sharp.Core.GitFetchOptions");
        var callbacks = TypeOf("LibGit2Sharp.RemoteCallbacks");
        return new Binding(
            typeof(Repository).GetProperty("Handle", Internal) ?? throw Missing("Repository.Handle"),
            MethodOf(proxy, "git_remote_lookup", 3),
            MethodOf(proxy, "git_remote_fetch", 4),
            fetchOptions,
            callbacks,
            MethodOf(callbacks, "GenerateCallbacks", 0),
            MethodOf(typeof(ProxyOptions), "CreateGitProxyOptions", 0),
            FieldOf(fetchOptions, "RemoteCallbacks"),
            FieldOf(fetchOptions, "download_tags"),
            FieldOf(fetchOptions, "ProxyOptions"),
            FieldOf(fetchOptions, "Depth"));
    }

    private static InvalidOperationException Missing(string member) =>
        new($"LibGit2Sharp {typeof(Repository).Assembly.GetName().Version} has no {member}, which the shallow fetch calls");

    private sealed record Binding(
        PropertyInfo RepositoryHandle,
        MethodInfo RemoteLookup,
        MethodInfo RemoteFetch,
        Type FetchOptions,
        Type Callbacks,
        MethodInfo GenerateCallbacks,
        MethodInfo CreateProxyOptions,
        FieldInfo CallbacksField,
        FieldInfo TagsField,
        FieldInfo ProxyField,
        FieldInfo DepthField);
}
