using System.Security.Cryptography;
using GlcmMae.Shared.Contracts;
using GlcmMae.Shared.Imaging.Dicom;
using GlcmMae.Shared.Inference;
using GlcmMae.Shared.Messaging;
using GlcmMae.Shared.Models;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Shared.Privacy;
using GlcmMae.Shared.Serving;
using GlcmMae.Shared.Storage;
using GlcmMae.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GlcmMae.Shared.Tests.Privacy;

public sealed class PseudonymisationTests : IDisposable
{
    private static readonly string Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_pseudonym_is_stable_under_one_key_different_under_another_and_hides_the_value()
    {
        var one = new Pseudonymiser(Convert.FromBase64String(Key));
        var other = new Pseudonymiser(RandomNumberGenerator.GetBytes(32));

        var pseudonym = one.Pseudonym("Doe_Jane/0001.dcm");

        Assert.Equal(pseudonym, one.Pseudonym("Doe_Jane/0001.dcm"));
        Assert.NotEqual(pseudonym, other.Pseudonym("Doe_Jane/0001.dcm"));
        Assert.Matches("^p-[0-9a-f]{32}$", pseudonym);
        var scan = new ScanReference { Container = "scans", BlobName = "Doe_Jane/0001.dcm", ETag = "e1", StudyInstanceUid = "1.2.3", Modality = "US" };
        var applied = one.Apply(scan);
        Assert.Equal(("scans", "e1", "US"), (applied.Container, applied.ETag, applied.Modality));
        Assert.Equal(one.Pseudonym("1.2.3"), applied.StudyInstanceUid);
        Assert.Null(applied.SopInstanceUid);
        Assert.Throws<ArgumentException>(() => new Pseudonymiser(new byte[16]));
    }

    [Fact]
    public async Task With_privacy_on_no_published_message_carries_the_blob_name_or_a_uid_of_a_scan_named_after_its_patient()
    {
        var registry = new ModelRegistry(new LocalFolderBlobStore(_temp.File("models")));
        await TestModels.PublishAsync(registry, "demo", "v1");
        await using var services = Services(new()
        {
            ["Privacy:Mode"] = "Pseudonymise",
            ["Privacy:Key"] = Key,
        });
        await services.GetRequiredService<ModelHost>().RefreshAsync(CancellationToken.None);
        var dicom = DicomWriter.Write(SyntheticDicom.Grayscale(48, 48, 8, 8, false, (_, r, c) => r + c, modality: "US").WithPatient(), DicomTransferSyntax.ExplicitVRLittleEndian);
        var pipeline = services.GetRequiredService<ScanPipeline>();
        var outcomes = new[]
        {
            await pipeline.ProcessAsync(ScanInput.FromBytes("scans", "Doe_Jane_PID-0042/study.dcm", dicom), CancellationToken.None),
            await pipeline.ProcessAsync(ScanInput.FromBytes("scans", "Doe_Jane_PID-0042/broken.dcm", dicom.AsSpan(0, 300).ToArray()), CancellationToken.None),
        };

        await services.GetRequiredService<IOutcomePublisher>().PublishAsync(outcomes);

        var written = string.Join('\n', Directory.EnumerateFiles(_temp.File("topics"), "*", SearchOption.AllDirectories).Select(File.ReadAllText));
        Assert.Equal(2, Directory.EnumerateFiles(_temp.File("topics"), "*", SearchOption.AllDirectories).Count());
        foreach (var secret in new[] { "Doe", "PID-0042", "2.25.111", outcomes[0].Result!.Scan.SopInstanceUid! })
        {
            Assert.DoesNotContain(secret, written, StringComparison.Ordinal);
        }

        var pseudonymiser = new Pseudonymiser(Convert.FromBase64String(Key));
        Assert.Contains(pseudonymiser.Pseudonym("Doe_Jane_PID-0042/study.dcm"), written, StringComparison.Ordinal);
        Assert.Contains(pseudonymiser.Pseudonym("2.25.111"), written, StringComparison.Ordinal);
    }

    [Fact]
    public void Pseudonymise_without_a_usable_key_fails_at_start_and_says_how_to_make_one()
    {
        using var services = Services(new() { ["Privacy:Mode"] = "Pseudonymise", ["Privacy:Key"] = "c2hvcnQ=" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<PrivacyOptions>>().Value);

        Assert.Contains("openssl rand -base64 32", error.Message, StringComparison.Ordinal);
    }

    private ServiceProvider Services(Dictionary<string, string?> settings)
    {
        settings["Models:Name"] = "demo";
        settings["Inference:ExecutionProvider"] = "cpu";
        settings["Serving:ModelStore"] = "local";
        settings["Serving:ModelsRoot"] = _temp.File("models");
        settings["Serving:Messaging"] = "file";
        settings["Serving:TopicsRoot"] = _temp.File("topics");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddScanServing(configuration).BuildServiceProvider();
    }
}
