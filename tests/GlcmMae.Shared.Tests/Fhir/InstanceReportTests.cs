using GlcmMae.Shared.Contracts;
using GlcmMae.Shared.Fhir;
using GlcmMae.Shared.Messaging;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Shared.Serving;
using GlcmMae.Testing;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GlcmMae.Shared.Tests.Fhir;

public sealed class InstanceReportTests
{
    [Fact]
    public async System.Threading.Tasks.Task Asked_for_instance_reports_serving_publishes_a_valid_report_per_result_with_the_results_pseudonyms()
    {
        using var temp = new TempFolder();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Serving:Messaging"] = "File",
            ["Serving:TopicsRoot"] = temp.Path,
            ["Privacy:Mode"] = "Pseudonymise",
            ["Privacy:Key"] = Convert.ToBase64String(new byte[32]),
            ["Fhir:Reports"] = "StudiesAndInstances",
            ["Fhir:SubjectIdentifierSystem"] = "urn:oid:1.2.3.4.5",
        }).Build();
        await using var services = new ServiceCollection().AddLogging().AddScanServing(configuration).BuildServiceProvider();
        var result = new ClassificationResult
        {
            ResultId = new string('c', 64),
            Scan = new ScanReference { Container = "scans", BlobName = "Doe_Jane_PID-0042.dcm", StudyInstanceUid = "2.25.777", SopInstanceUid = "2.25.778" },
            Model = new ModelReference("glcmmae-classifier", "v1", "00", "11", "CPUExecutionProvider"),
            Prediction = new PredictionResult("benign", 0, new Dictionary<string, double> { ["benign"] = 0.8, ["malignant"] = 0.2 }),
            Timings = new StageTimings(),
            ProcessedAt = DateTimeOffset.UtcNow,
        };

        await services.GetRequiredService<IOutcomePublisher>().PublishAsync([new ScanOutcome(result, null, null) { PatientId = "PID-0042" }]);

        var file = Path.Combine(temp.Path, Topics.FhirResults, result.ResultId + ".json");
        var bytes = await File.ReadAllBytesAsync(file);
        var report = DiagnosticReports.Deserialize<DiagnosticReport>(bytes);
        Assert.True(FhirValidation.Errors(report).Count == 0, string.Join("\n", FhirValidation.All(report)));
        Assert.Equal(DiagnosticReports.PseudonymSystem, report.ImagingStudy.Single().Identifier!.System);
        // The subject, by the configured system and the pseudonym of the Patient ID, on the report and every observation.
        Assert.Equal("urn:oid:1.2.3.4.5", report.Subject!.Identifier!.System);
        Assert.Equal(new GlcmMae.Shared.Privacy.Pseudonymiser(new byte[32]).Pseudonym("PID-0042"), report.Subject.Identifier.Value);
        Assert.All(report.Contained.OfType<Observation>(), o => Assert.Equal(report.Subject.Identifier.Value, o.Subject!.Identifier!.Value));
        var text = System.Text.Encoding.UTF8.GetString(bytes) + File.ReadAllText(Path.Combine(temp.Path, Topics.Results, result.ResultId + ".json"));
        foreach (var secret in new[] { "2.25.777", "2.25.778", "Doe", "PID-0042" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("Off", "urn:oid:1.2.3")]
    [InlineData("Pseudonymise", "not a uri")]
    public void A_subject_mapping_needs_pseudonyms_and_a_uri_and_serving_will_not_start_without(string privacy, string system)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Privacy:Mode"] = privacy,
            ["Privacy:Key"] = Convert.ToBase64String(new byte[32]),
            ["Fhir:SubjectIdentifierSystem"] = system,
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddScanServing(configuration).BuildServiceProvider();

        var refused = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => services.GetRequiredService<Microsoft.Extensions.Options.IOptions<FhirOptions>>().Value);

        Assert.Contains("Privacy:Mode=Pseudonymise", refused.Message, StringComparison.Ordinal);
    }
}
