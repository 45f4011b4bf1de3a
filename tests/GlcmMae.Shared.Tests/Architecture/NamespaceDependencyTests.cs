using System.Text.RegularExpressions;
using GlcmMae.Testing;

namespace GlcmMae.Shared.Tests.Architecture;

/// <summary>
/// The folder rules of docs/architecture.md, read from the sources: the core's folders depend on one another one way
/// (no cycles), the core names neither the host nor the trainer nor the local stand-ins, and the functions never name
/// the trainer.
/// </summary>
public sealed partial class NamespaceDependencyTests
{
    private static readonly string Shared = Path.Combine(RepositoryPaths.Root, "shared", "GlcmMae.Shared");

    [Fact]
    public void The_core_folders_depend_on_each_other_one_way()
    {
        var graph = Graph(Shared, "GlcmMae.Shared.");

        var cycles = Cycles(graph);

        Assert.True(cycles.Count == 0, "folders that depend on each other: " + string.Join("; ", cycles.Select(c => string.Join(" <-> ", c))));
        // The graph is real: the pipeline uses imaging, and serving composes the pipeline with messaging.
        Assert.Contains("Imaging", graph["Pipeline"]);
        Assert.Contains("Messaging", graph["Serving"]);
        Assert.Contains("Pipeline", graph["Serving"]);
    }

    [Fact]
    public void The_trainer_folders_depend_on_each_other_one_way()
    {
        var graph = Graph(Path.Combine(RepositoryPaths.Root, "trainer", "GlcmMae.Trainer"), "GlcmMae.Trainer.");

        var cycles = Cycles(graph);

        Assert.True(cycles.Count == 0, "trainer folders that depend on each other: " + string.Join("; ", cycles.Select(c => string.Join(" <-> ", c))));
        // The stages flow one way: pretraining uses the losses and models, fine-tuning evaluates, reports draw evaluations.
        Assert.Contains("Losses", graph["Training"]);
        Assert.Contains("Evaluation", graph["Finetuning"]);
        Assert.Contains("Evaluation", graph["Reports"]);
        Assert.DoesNotContain("Training", graph["Data"]);
        Assert.DoesNotContain("Training", graph["Torch"]);
    }

    [Fact]
    public void The_core_names_no_host_trainer_or_stand_in_and_the_functions_name_no_trainer()
    {
        var core = Sources(Shared).Where(s => ForbiddenInCore().IsMatch(s.Text)).Select(s => s.Path).ToList();
        var functions = Sources(Path.Combine(RepositoryPaths.Root, "functions")).Where(s => s.Text.Contains("GlcmMae.Trainer", StringComparison.Ordinal)).Select(s => s.Path).ToList();

        Assert.True(core.Count == 0, "core files that name a host, the trainer or the stand-ins: " + string.Join(", ", core));
        Assert.True(functions.Count == 0, "functions files that name the trainer: " + string.Join(", ", functions));
    }

    private static IEnumerable<(string Path, string Text)> Sources(string root) =>
        Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(p => (Path.GetRelativePath(RepositoryPaths.Root, p), File.ReadAllText(p)));

    /// <summary>Folder (first namespace segment below <paramref name="prefix"/>) to the folders its files name.</summary>
    private static Dictionary<string, HashSet<string>> Graph(string root, string prefix)
    {
        var graph = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var reference = new Regex(Regex.Escape(prefix) + @"(\w+)", RegexOptions.CultureInvariant);
        foreach (var (_, text) in Sources(root))
        {
            if (Namespace().Match(text) is not { Success: true } declared || !declared.Groups[1].Value.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var folder = declared.Groups[1].Value[prefix.Length..].Split('.')[0];
            var edges = graph.TryGetValue(folder, out var existing) ? existing : graph[folder] = new HashSet<string>(StringComparer.Ordinal);
            foreach (Match match in reference.Matches(text))
            {
                if (match.Groups[1].Value != folder)
                {
                    edges.Add(match.Groups[1].Value);
                }
            }
        }

        return graph;
    }

    /// <summary>Strongly connected groups of more than one folder (Tarjan).</summary>
    private static List<List<string>> Cycles(Dictionary<string, HashSet<string>> graph)
    {
        var (index, low, stack, onStack, found, next) = (new Dictionary<string, int>(), new Dictionary<string, int>(), new Stack<string>(), new HashSet<string>(), new List<List<string>>(), 0);
        void Visit(string v)
        {
            index[v] = low[v] = next++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in graph.GetValueOrDefault(v) ?? [])
            {
                if (!index.ContainsKey(w))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], index[w]);
                }
            }

            if (low[v] == index[v])
            {
                var group = new List<string>();
                string w;
                do
                {
                    w = stack.Pop();
                    onStack.Remove(w);
                    group.Add(w);
                }
                while (w != v);
                if (group.Count > 1)
                {
                    found.Add(group);
                }
            }
        }

        foreach (var v in graph.Keys.ToList())
        {
            if (!index.ContainsKey(v))
            {
                Visit(v);
            }
        }

        return found;
    }

    [GeneratedRegex(@"^namespace ([\w.]+);", RegexOptions.Multiline)]
    private static partial Regex Namespace();

    [GeneratedRegex(@"GlcmMae\.(Functions|Trainer|Rehearsal)\b|Microsoft\.Azure\.Functions")]
    private static partial Regex ForbiddenInCore();
}
