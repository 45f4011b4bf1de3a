using System.Globalization;
using System.Net;
using System.Text.Json;
using GlcmMae.Shared.Contracts;
using GlcmMae.Shared.Messaging;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace GlcmMae.Shared.Fhir;

/// <summary>
/// FHIR R4 DiagnosticReports of study and instance results: the label, every class probability and the decision as
/// contained Observations, the model as a contained Device (and the Observations' method), the imaging study by its
/// Study Instance UID identifier. No subject and no demographics.
/// </summary>
public static class DiagnosticReports
{
    /// <summary>The media type of the published reports.</summary>
    public const string ContentType = "application/fhir+json";

    /// <summary>Identifier system of the DICOM UIDs (as FHIR's ImagingStudy uses it; values are <c>urn:oid:</c> UIDs).</summary>
    public const string DicomUidSystem = "urn:dicom:uid";

    /// <summary>Identifier system of pseudonymised UIDs (resolvable only with the privacy key, <c>glcmmae pseudonym</c>).</summary>
    public const string PseudonymSystem = "urn:glcmmae:pseudonym";

    /// <summary>Code system of this product's observation codes.</summary>
    public const string ObservationSystem = "urn:glcmmae:observation";

    /// <summary>Code system of the model's class labels.</summary>
    public const string LabelSystem = "urn:glcmmae:label";

    private static readonly JsonSerializerOptions Json = new JsonSerializerOptions().ForFhir();

    /// <summary>The report of a study result.</summary>
    /// <param name="result">The study result (pseudonymised when privacy is on).</param>
    /// <param name="subject">The subject's identifier system and pseudonymised Patient ID, when a subject mapping is configured.</param>
    public static DiagnosticReport ForStudy(StudyResult result, (string System, string Value)? subject = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var aggregated = result.Instances.Where(i => result.Aggregated.Contains(i.ResultId)).ToArray();
        var models = aggregated.Where(i => i.ModelName is not null && i.ModelVersion is not null).Select(i => (i.ModelName!, i.ModelVersion!)).Distinct().ToArray();
        var method = string.Create(CultureInfo.InvariantCulture, $"GLCM-MAE classification; study aggregate by the {result.Rule} rule{(result.TopK is { } k ? $" (k = {k})" : string.Empty)} over {aggregated.Length} of {result.Instances.Count} instance(s)");
        return Build(new ReportContent(result.StudyResultId, result.Status == "amended", result.CompletedAt, result.StudyInstanceUid, result.Label, result.Probabilities, result.Decision, result.PositiveLabel, result.DecisionThreshold, models, method, result.Note, subject));
    }

    /// <summary>The report of one instance's result.</summary>
    /// <param name="result">The result (pseudonymised when privacy is on).</param>
    /// <param name="subject">The subject's identifier system and pseudonymised Patient ID, when a subject mapping is configured.</param>
    public static DiagnosticReport ForInstance(ClassificationResult result, (string System, string Value)? subject = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var method = result.Frames is { } frames
            ? string.Create(CultureInfo.InvariantCulture, $"GLCM-MAE classification of one scan; {frames.Frames.Count} of its {frames.FramesInScan} frames aggregated by the {frames.Rule} rule")
            : "GLCM-MAE classification of one scan";
        return Build(new ReportContent(result.ResultId, false, result.ProcessedAt, result.Scan.StudyInstanceUid, result.Prediction.Label, result.Prediction.Probabilities,
            result.Assessment?.Decision, result.Assessment?.PositiveLabel, result.Assessment?.DecisionThreshold, [(result.Model.Name, result.Model.Version)], method, null, subject));
    }

    /// <summary>The report as a <c>fhir-results</c> message (id = the result's id: a resend is a duplicate).</summary>
    public static TopicMessage ToMessage(DiagnosticReport report, string kind)
    {
        ArgumentNullException.ThrowIfNull(report);
        var properties = new Dictionary<string, object>
        {
            ["resourceType"] = "DiagnosticReport",
            ["kind"] = kind,
            ["status"] = report.Status?.ToString()?.ToLowerInvariant() ?? string.Empty,
        };
        return new TopicMessage(Topics.FhirResults, report.Id ?? throw new ArgumentException("A report needs its id.", nameof(report)), kind, ContentType, Serialize(report), properties);
    }

    /// <summary>FHIR JSON of a resource.</summary>
    public static byte[] Serialize(Resource resource) => JsonSerializer.SerializeToUtf8Bytes(resource, resource.GetType(), Json);

    /// <summary>A resource from FHIR JSON.</summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> json)
        where T : Resource => JsonSerializer.Deserialize<T>(json, Json)!;

    private static DiagnosticReport Build(ReportContent content)
    {
        var status = content.Amended ? ObservationStatus.Amended : ObservationStatus.Final;
        var issued = content.Issued;
        var study = StudyReference(content.StudyInstanceUid);
        var subject = content.Subject is { } mapped ? new ResourceReference { Type = "Patient", Identifier = new Identifier(mapped.System, mapped.Value) } : null;
        var devices = content.Models.Select((m, i) => new Device
        {
            Id = $"model-{i + 1}",
            DeviceName = [new Device.DeviceNameComponent { Name = m.Name, Type = DeviceNameType.ModelName }],
            Version = [new Device.VersionComponent { Value = m.Version }],
            Text = Narrative($"Model {m.Name} version {m.Version}"),
        }).ToList();
        var method = new CodeableConcept { Text = content.Method };
        Observation Observe(string id, Coding code, DataType value, string narrative) => new()
        {
            Id = id,
            Status = status,
            Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", "imaging", "Imaging")],
            Code = new CodeableConcept { Coding = [code], Text = code.Display },
            Value = value,
            Method = method,
            Subject = subject,
            Device = devices.Count == 1 ? new ResourceReference("#" + devices[0].Id) : null,
            DerivedFrom = study is null ? [] : [study],
            Issued = issued,
            Effective = new FhirDateTime(issued),
            Text = Narrative(narrative),
        };
        var observations = new List<Observation>();
        if (content.Label is { } label)
        {
            observations.Add(Observe("label", new Coding(ObservationSystem, "predicted-class", "Predicted class"), new CodeableConcept(LabelSystem, label, label), $"Predicted class: {label}"));
        }

        foreach (var (name, probability, index) in (content.Probabilities ?? new Dictionary<string, double>()).Select((p, i) => (p.Key, p.Value, i)))
        {
            observations.Add(Observe(
                $"probability-{index + 1}",
                new Coding(ObservationSystem, "class-probability", $"Calibrated probability of {name}"),
                Probability(probability),
                string.Create(CultureInfo.InvariantCulture, $"Calibrated probability of {name}: {probability:0.####}")));
        }

        if (content.Decision is { } decision)
        {
            var observation = Observe(
                "decision",
                new Coding(ObservationSystem, "decision", $"Decision for {content.PositiveLabel} at the model's operating point"),
                new CodeableConcept(ObservationSystem, decision, decision),
                string.Create(CultureInfo.InvariantCulture, $"Decision: {decision} for {content.PositiveLabel} (threshold {content.DecisionThreshold:0.####})"));
            if (content.DecisionThreshold is { } threshold)
            {
                observation.Component = [new Observation.ComponentComponent { Code = new CodeableConcept(ObservationSystem, "decision-threshold", "Decision threshold"), Value = Probability(threshold) }];
            }

            observations.Add(observation);
        }

        var conclusion = content.Note ?? (content.Label is null ? "No label." : content.Decision is { } d ? $"{content.Label}; {d} for {content.PositiveLabel}." : $"{content.Label}.");
        return new DiagnosticReport
        {
            Id = content.Id,
            Identifier = [new Identifier("urn:glcmmae:result-id", content.Id)],
            Status = content.Amended ? DiagnosticReport.DiagnosticReportStatus.Amended : DiagnosticReport.DiagnosticReportStatus.Final,
            Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/v2-0074", "RAD", "Radiology")],
            Subject = subject,
            Code = new CodeableConcept("http://loinc.org", "18748-4", "Diagnostic imaging study") { Text = "GLCM-MAE texture classification" },
            Effective = new FhirDateTime(issued),
            Issued = issued,
            ImagingStudy = study is null ? [] : [study],
            Result = observations.Select(o => new ResourceReference("#" + o.Id)).ToList(),
            Conclusion = conclusion,
            Contained = [.. devices, .. observations],
            Text = Narrative($"{content.Method}: {conclusion}"),
        };
    }

    private static Quantity Probability(double value) => new()
    {
        Value = decimal.Round((decimal)value, 6),
        Unit = "probability",
        System = "http://unitsofmeasure.org",
        Code = "1",
    };

    private static ResourceReference? StudyReference(string? studyInstanceUid) => studyInstanceUid is null ? null : new ResourceReference
    {
        Type = "ImagingStudy",
        Identifier = studyInstanceUid.StartsWith("p-", StringComparison.Ordinal)
            ? new Identifier(PseudonymSystem, studyInstanceUid)
            : new Identifier(DicomUidSystem, "urn:oid:" + studyInstanceUid),
        Display = "Imaging study",
    };

    private static Narrative Narrative(string text) => new()
    {
        Status = Hl7.Fhir.Model.Narrative.NarrativeStatus.Generated,
        Div = $"<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>{WebUtility.HtmlEncode(text)}</p></div>",
    };
}
