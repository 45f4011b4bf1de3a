using System.Text;
using GlcmMae.Shared.Contracts;
using GlcmMae.Shared.Fhir;
using GlcmMae.Shared.Messaging;
using Hl7.Fhir.Model;

namespace GlcmMae.Shared.Tests.Fhir;

public sealed class DiagnosticReportTests
{
    private static readonly DateTimeOffset When = new(2026, 12, 6, 9, 30, 0, TimeSpan.Zero);

    private static StudyInstance Instance(string id, double malignant, string? error = null) => new()
    {
        ResultId = id,
        ErrorCode = error,
        ModelName = error is null ? "glcmmae-classifier" : null,
        ModelVersion = error is null ? "20261206-abc123" : "20261206-abc123",
        Label = error is null ? (malignant >= 0.5 ? "malignant" : "benign") : null,
        Probabilities = error is null ? new Dictionary<string, double> { ["benign"] = 1 - malignant, ["malignant"] = malignant } : null,
        PositiveLabel = error is null ? "malignant" : null,
        DecisionThreshold = error is null ? 0.3 : null,
        ProcessedAt = When,
    };

    private static StudyResult Study(int revision = 1, string uid = "1.2.840.113619.2.55.3.604688119.969.1268071029.320") => new()
    {
        StudyResultId = new string('a', 64),
        StudyInstanceUid = uid,
        Revision = revision,
        Status = revision == 1 ? "final" : "amended",
        CompletedBy = "quiet",
        Rule = "Mean",
        Label = "benign",
        Probabilities = new Dictionary<string, double> { ["benign"] = 0.6, ["malignant"] = 0.4 },
        Decision = "positive",
        PositiveLabel = "malignant",
        DecisionThreshold = 0.3,
        Aggregated = ["r1", "r2"],
        Instances = [Instance("r1", 0.2), Instance("r2", 0.6), Instance("r3", 0, error: "Abstained")],
        CompletedAt = When,
    };

    [Fact]
    public void A_study_report_passes_the_R4_validator_and_says_what_the_study_result_says()
    {
        var report = DiagnosticReports.ForStudy(Study());

        Assert.True(FhirValidation.Errors(report).Count == 0, string.Join("\n", FhirValidation.All(report)));
        Assert.Equal(DiagnosticReport.DiagnosticReportStatus.Final, report.Status);
        Assert.Null(report.Subject);
        var study = Assert.Single(report.ImagingStudy);
        Assert.Equal(DiagnosticReports.DicomUidSystem, study.Identifier!.System);
        Assert.Equal("urn:oid:1.2.840.113619.2.55.3.604688119.969.1268071029.320", study.Identifier.Value);
        var observations = report.Contained.OfType<Observation>().ToDictionary(o => o.Id!);
        Assert.Equal(report.Result.Select(r => r.Reference!.TrimStart('#')).Order(), observations.Keys.Order());
        Assert.Equal("benign", ((CodeableConcept)observations["label"].Value!).Coding.Single().Code);
        Assert.Equal([0.6m, 0.4m], observations.Where(o => o.Key.StartsWith("probability-", StringComparison.Ordinal)).OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => ((Quantity)o.Value.Value!).Value!.Value));
        Assert.Equal("positive", ((CodeableConcept)observations["decision"].Value!).Coding.Single().Code);
        Assert.Equal(0.3m, ((Quantity)observations["decision"].Component.Single().Value!).Value);
        var device = Assert.Single(report.Contained.OfType<Device>());
        Assert.Equal("glcmmae-classifier", device.DeviceName.Single().Name);
        Assert.Equal("20261206-abc123", device.Version.Single().Value);
        Assert.All(observations.Values, o => Assert.Equal("#" + device.Id, o.Device!.Reference));
        Assert.Contains("2 of 3 instance(s)", observations["label"].Method!.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_published_message_is_fhir_json_that_reads_back_and_an_amendment_is_amended()
    {
        var message = DiagnosticReports.ToMessage(DiagnosticReports.ForStudy(Study(revision: 2, uid: "p-0123456789abcdef0123456789abcdef")), "study");

        Assert.Equal(Topics.FhirResults, message.Topic);
        Assert.Equal("application/fhir+json", message.ContentType);
        Assert.Equal(new string('a', 64), message.MessageId);
        Assert.Contains("\"resourceType\":\"DiagnosticReport\"", Encoding.UTF8.GetString(message.Body), StringComparison.Ordinal);
        var read = DiagnosticReports.Deserialize<DiagnosticReport>(message.Body);
        Assert.Equal(DiagnosticReport.DiagnosticReportStatus.Amended, read.Status);
        Assert.All(read.Contained.OfType<Observation>(), o => Assert.Equal(ObservationStatus.Amended, o.Status));
        Assert.Equal(DiagnosticReports.PseudonymSystem, read.ImagingStudy.Single().Identifier!.System);
        Assert.True(FhirValidation.Errors(read).Count == 0, string.Join("\n", FhirValidation.All(read)));
    }

    [Fact]
    public void A_study_without_a_classified_instance_reports_why_and_still_validates()
    {
        var report = DiagnosticReports.ForStudy(Study() with { Label = null, Probabilities = null, Decision = null, Aggregated = [], Note = "No instance of the study was classified." });

        Assert.Empty(report.Result);
        Assert.Equal("No instance of the study was classified.", report.Conclusion);
        Assert.True(FhirValidation.Errors(report).Count == 0, string.Join("\n", FhirValidation.All(report)));
    }

    [Fact]
    public void An_instance_report_validates_and_names_its_frames()
    {
        var result = new ClassificationResult
        {
            ResultId = new string('b', 64),
            Scan = new ScanReference { Container = "scans", BlobName = "x.dcm", StudyInstanceUid = "2.25.1" },
            Model = new ModelReference("glcmmae-classifier", "v9", "00", "11", "CPUExecutionProvider"),
            Prediction = new PredictionResult("benign", 0, new Dictionary<string, double> { ["benign"] = 0.7, ["malignant"] = 0.3 }),
            Frames = new FrameAggregation { Rule = "Mean", FramesInScan = 30, Aggregated = [0, 1], Frames = [new FrameResult(0, "benign", new Dictionary<string, double>(), 0, false), new FrameResult(1, "benign", new Dictionary<string, double>(), 0, false)] },
            Timings = new StageTimings(),
            ProcessedAt = When,
        };

        var report = DiagnosticReports.ForInstance(result);

        Assert.True(FhirValidation.Errors(report).Count == 0, string.Join("\n", FhirValidation.All(report)));
        Assert.Contains("2 of its 30 frames", report.Contained.OfType<Observation>().First().Method!.Text, StringComparison.Ordinal);
        Assert.Null(report.Contained.OfType<Observation>().SingleOrDefault(o => o.Id == "decision"));
    }

    [Fact]
    public void The_validator_is_real_a_report_without_status_and_code_or_with_a_dangling_result_fails()
    {
        var report = DiagnosticReports.ForStudy(Study());
        report.Status = null;
        report.Code = null!;
        report.Result.Add(new ResourceReference("#missing"));

        var errors = FhirValidation.Errors(report);

        Assert.Contains(errors, e => e.Contains("status", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(errors, e => e.Contains("code", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(errors, e => e.Contains("missing", StringComparison.OrdinalIgnoreCase));
    }
}
