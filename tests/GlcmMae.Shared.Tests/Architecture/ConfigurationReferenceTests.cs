using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using GlcmMae.Shared.Diagnostics;
using GlcmMae.Shared.Fhir;
using GlcmMae.Shared.Imaging.Dicom;
using GlcmMae.Shared.Inference;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Shared.Privacy;
using GlcmMae.Shared.Studies;
using GlcmMae.Testing;

namespace GlcmMae.Shared.Tests.Architecture;

/// <summary>
/// One configuration story, checked both ways: every setting of every options type the hosts bind is in
/// docs/configuration.md under its section, every setting the reference names exists, and every app setting the
/// deployment (infra/) or the local compose file sets is documented there.
/// </summary>
public sealed partial class ConfigurationReferenceTests
{
    /// <summary>The options types the hosts bind, with their sections.</summary>
    public static readonly (string Section, Type Type)[] Bound =
    [
        (ServingOptions.Section, typeof(ServingOptions)),
        (ServingSettings.Section, typeof(ServingSettings)),
        (FrameOptions.Section, typeof(FrameOptions)),
        (StudyOptions.Section, typeof(StudyOptions)),
        (FhirOptions.Section, typeof(FhirOptions)),
        (PrivacyOptions.Section, typeof(PrivacyOptions)),
        (DicomReaderOptions.SectionName, typeof(DicomReaderOptions)),
        (TelemetryOptions.SectionName, typeof(TelemetryOptions)),
    ];

    /// <summary>Settings read directly rather than through an options type (connections, names shared by every host).</summary>
    private static readonly string[] Direct =
    [
        "Models:Name", "Storage:ConnectionString", "Storage:BlobServiceUri", "Storage:TableServiceUri",
        "ServiceBus:ConnectionString", "ServiceBus:FullyQualifiedNamespace", "Training:Data",
    ];

    private static string Reference => File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "configuration.md"));

    private static IEnumerable<PropertyInfo> Settings(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true });

    /// <summary>The reference's rows: the first cell of every table row that names a setting.</summary>
    private static HashSet<string> Documented() => [.. Row().Matches(Reference).Select(m => m.Groups[1].Value)];

    [Fact]
    public void Every_bound_setting_is_documented_and_every_documented_setting_exists()
    {
        var actual = Bound.SelectMany(b => Settings(b.Type).Select(p => $"{b.Section}:{p.Name}")).Concat(Direct).ToHashSet();
        var documented = Documented();

        var undocumented = actual.Except(documented).Order().ToList();
        var unknown = documented.Except(actual).Order().ToList();

        Assert.True(undocumented.Count == 0, "settings missing from docs/configuration.md; rows to add:\n" + string.Join('\n', undocumented.Select(Describe)));
        Assert.True(unknown.Count == 0, "docs/configuration.md documents settings that do not exist: " + string.Join(", ", unknown));
    }

    [Fact]
    public void Every_app_setting_the_deployment_sets_is_documented()
    {
        var files = Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "infra"), "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".bicep", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".sh", StringComparison.Ordinal));
        var set = files.SelectMany(f => AppSetting().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value.Replace("__", ":", StringComparison.Ordinal))).ToHashSet();
        var documented = Documented();

        Assert.NotEmpty(set);
        Assert.Contains("Studies:Store", set);
        var missing = set.Except(documented).Order().ToList();
        Assert.True(missing.Count == 0, "infra/ sets settings docs/configuration.md does not document: " + string.Join(", ", missing));
    }

    private static string Describe(string setting)
    {
        var (section, name) = (setting[..setting.LastIndexOf(':')], setting[(setting.LastIndexOf(':') + 1)..]);
        var bound = Bound.FirstOrDefault(b => b.Section == section);
        if (bound.Type is null)
        {
            return $"| `{setting}` | string | | |";
        }

        var property = bound.Type.GetProperty(name)!;
        var value = property.GetValue(Activator.CreateInstance(bound.Type));
        var text = value switch
        {
            null => "unset",
            string s => s,
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            IEnumerable e => string.Join(", ", e.Cast<object>()),
            _ => value.ToString(),
        };
        return $"| `{setting}` | {(Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType).Name} | {text} | |";
    }

    [GeneratedRegex(@"^\| `([A-Za-z]+(?::[A-Za-z]+)+)`", RegexOptions.Multiline)]
    private static partial Regex Row();

    [GeneratedRegex(@"GLCMMAE_([A-Za-z]+(?:__[A-Za-z]+)+)")]
    private static partial Regex AppSetting();
}
