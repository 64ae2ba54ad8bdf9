using System.Text.RegularExpressions;

namespace Homelab.Tests.Reconciler.Architecture;

/// <summary>
/// Which folder (namespace) of a project uses which, read from its source: a <c>using</c> of another
/// folder's namespace, a fully qualified name, or a name qualified by the folder (<c>Apply.ChangeSet</c>)
/// of a type declared there. Comments are left out: a doc reference is no dependency.
/// </summary>
internal sealed partial class FolderGraph
{
    private readonly Dictionary<string, SortedDictionary<string, string>> _edges = new(StringComparer.Ordinal);

    private FolderGraph(string root) => Root = root;

    /// <summary>The project's root namespace (<c>Homelab.Reconciler</c>).</summary>
    public string Root { get; }

    /// <summary>Every folder that declares a type, by its namespace below <see cref="Root"/> ("" for the root).</summary>
    public IReadOnlyCollection<string> Folders => _edges.Keys;

    /// <summary>The folders <paramref name="folder"/> uses, each with the first file (relative path) that does.</summary>
    public IReadOnlyDictionary<string, string> Uses(string folder) => _edges[folder];

    public static FolderGraph Read(string projectDirectory, string rootNamespace)
    {
        var files = Directory.EnumerateFiles(projectDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(f => Path.GetRelativePath(projectDirectory, f).Split(Path.DirectorySeparatorChar) is not ["bin" or "obj", ..])
            .Order(StringComparer.Ordinal)
            .Select(f => (Path: Path.GetRelativePath(projectDirectory, f), Code: WithoutComments(File.ReadAllText(f))))
            .Select(f => (f.Path, f.Code, Folder: FolderOf(f.Code, rootNamespace)))
            .Where(f => f.Folder is not null)
            .ToList();

        var graph = new FolderGraph(rootNamespace);
        var types = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (_, code, folder) in files)
        {
            graph._edges.TryAdd(folder!, new SortedDictionary<string, string>(StringComparer.Ordinal));
            var declared = types.TryGetValue(folder!, out var set) ? set : types[folder!] = new HashSet<string>(StringComparer.Ordinal);
            declared.UnionWith(TypeDeclaration().Matches(code).Select(m => m.Groups["name"].Value));
        }

        var prefix = rootNamespace + ".";
        foreach (var (path, code, folder) in files)
        {
            var used = new HashSet<string>(StringComparer.Ordinal);
            foreach (Match qualified in QualifiedName().Matches(code))
            {
                var name = qualified.Value;
                if (name.StartsWith(prefix, StringComparison.Ordinal) && Longest(name[prefix.Length..], types.Keys) is { } target)
                {
                    used.Add(target);
                }
            }

            foreach (var (other, declared) in types)
            {
                var last = other.Split('.')[^1];
                if (other.Length > 0 && Regex.Matches(code, $@"(?<![\w.]){Regex.Escape(last)}\.(?<type>\w+)").Any(m => declared.Contains(m.Groups["type"].Value)))
                {
                    used.Add(other);
                }
            }

            foreach (var target in used.Where(t => t != folder))
            {
                graph._edges[folder!].TryAdd(target, path);
            }
        }

        return graph;
    }

    /// <summary>
    /// The cycles between folders: in each strongly connected group, the shortest through each of its folders,
    /// as a path that returns to its start (which is the smallest name on it), each cycle once.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var cycles = new List<IReadOnlyList<string>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in StronglyConnected().Where(g => g.Count > 1))
        {
            foreach (var folder in group.Order(StringComparer.Ordinal))
            {
                var cycle = ShortestCycle(folder, group);
                var first = cycle.IndexOf(cycle.Min(StringComparer.Ordinal)!);
                List<string> rotated = [.. cycle.Skip(first).Take(cycle.Count - 1 - first), .. cycle.Take(first), cycle[first]];
                if (seen.Add(string.Join(" ", rotated)))
                {
                    cycles.Add(rotated);
                }
            }
        }

        return cycles;
    }

    /// <summary>"Apply -> Inventory (Apply/Change.cs) -> Apply (Inventory/ObjectInventory.cs)".</summary>
    public string Describe(IReadOnlyList<string> cycle) =>
        Name(cycle[0]) + string.Concat(cycle.Zip(cycle.Skip(1)).Select(step => $" -> {Name(step.Second)} ({_edges[step.First][step.Second]})"));

    private static string Name(string folder) => folder.Length == 0 ? "(root)" : folder;

    /// <summary>The shortest way from <paramref name="start"/> back to itself inside <paramref name="group"/> (breadth first).</summary>
    private List<string> ShortestCycle(string start, HashSet<string> group)
    {
        var cameFrom = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>([start]);
        while (queue.TryDequeue(out var current))
        {
            foreach (var next in _edges[current].Keys.Where(group.Contains))
            {
                if (next == start)
                {
                    var path = new List<string> { current };
                    while (path[0] != start)
                    {
                        path.Insert(0, cameFrom[path[0]]);
                    }

                    return [.. path, start];
                }

                if (cameFrom.TryAdd(next, current))
                {
                    queue.Enqueue(next);
                }
            }
        }

        throw new InvalidOperationException($"{start} is in a strongly connected group but on no cycle");
    }

    /// <summary>Tarjan's strongly connected components.</summary>
    private List<HashSet<string>> StronglyConnected()
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var groups = new List<HashSet<string>>();

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in _edges[node].Keys)
            {
                if (index.TryGetValue(next, out var seen))
                {
                    if (onStack.Contains(next))
                    {
                        low[node] = Math.Min(low[node], seen);
                    }
                }
                else
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
            }

            if (low[node] == index[node])
            {
                var group = new HashSet<string>(StringComparer.Ordinal);
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    group.Add(member);
                }
                while (member != node);
                groups.Add(group);
            }
        }

        foreach (var node in _edges.Keys.Order(StringComparer.Ordinal).Where(n => !index.ContainsKey(n)))
        {
            Visit(node);
        }

        return groups;
    }

    private static string? FolderOf(string code, string rootNamespace) =>
        Namespace().Match(code) is { Success: true } m && (m.Groups["ns"].Value == rootNamespace || m.Groups["ns"].Value.StartsWith(rootNamespace + ".", StringComparison.Ordinal))
            ? m.Groups["ns"].Value == rootNamespace ? string.Empty : m.Groups["ns"].Value[(rootNamespace.Length + 1)..]
            : null;

    /// <summary>The longest folder that <paramref name="dotted"/> (below the root) lies in.</summary>
    private static string? Longest(string dotted, IEnumerable<string> folders) =>
        folders.Where(f => f.Length > 0 && (dotted == f || dotted.StartsWith(f + ".", StringComparison.Ordinal))).MaxBy(f => f.Length);

    private static string WithoutComments(string code) => Comment().Replace(code, string.Empty);

    [GeneratedRegex(@"^\s*namespace\s+(?<ns>[\w.]+)", RegexOptions.Multiline)]
    private static partial Regex Namespace();

    [GeneratedRegex(@"\b(?:class|record|struct|enum|interface)\s+(?:struct\s+|class\s+)?(?<name>[A-Z]\w*)")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"Homelab(?:\.\w+)+")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"(?<!:)//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comment();
}
