using System.Text.RegularExpressions;
using GlcmMae.Testing;

namespace GlcmMae.Shared.Tests.Architecture;

/// <summary>The README is the door and docs/ the rooms: every relative link between them leads to a file, and to a heading where it names one.</summary>
public sealed partial class DocumentationLinksTests
{
    [Fact]
    public void Every_relative_link_in_the_readme_and_docs_resolves()
    {
        var pages = new[] { Path.Combine(RepositoryPaths.Root, "README.md") }
            .Concat(Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "docs"), "*.md"))
            .ToList();
        var broken = new List<string>();
        var checkedLinks = 0;
        foreach (var page in pages)
        {
            foreach (Match link in Link().Matches(File.ReadAllText(page)))
            {
                var target = link.Groups[1].Value;
                if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                {
                    continue;
                }

                checkedLinks++;
                var hash = target.IndexOf('#', StringComparison.Ordinal);
                var file = hash < 0 ? target : target[..hash];
                var path = file.Length == 0 ? page : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, file));
                if (!File.Exists(path) && !Directory.Exists(path))
                {
                    broken.Add($"{Path.GetFileName(page)} -> {target} (no such file)");
                }
                else if (hash >= 0 && path.EndsWith(".md", StringComparison.Ordinal) && !Anchors(path).Contains(target[(hash + 1)..]))
                {
                    broken.Add($"{Path.GetFileName(page)} -> {target} (no such heading)");
                }
            }
        }

        Assert.True(checkedLinks > 20, $"only {checkedLinks} links found: the scan is broken");
        Assert.True(broken.Count == 0, "broken links: " + string.Join("; ", broken));
    }

    /// <summary>GitHub's heading anchors: lower case, punctuation but '-' and '_' dropped, spaces to '-'.</summary>
    private static HashSet<string> Anchors(string page) =>
        File.ReadLines(page)
            .Where(line => line.StartsWith('#'))
            .Select(line => line.TrimStart('#').Trim().ToLowerInvariant())
            .Select(heading => new string([.. heading.Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_')]).Replace(' ', '-'))
            .ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex Link();
}
