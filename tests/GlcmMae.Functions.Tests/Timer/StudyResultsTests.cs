using System.Text;
using System.Text.Json;
using Azure.Messaging.ServiceBus;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using GlcmMae.Functions.Queue;
using GlcmMae.Functions.Timer;
using GlcmMae.Rehearsal.Messaging;
using GlcmMae.Shared.Contracts;
using GlcmMae.Shared.Imaging.Dicom;
using GlcmMae.Shared.Messaging;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Shared.Privacy;
using GlcmMae.Shared.Serving;
using GlcmMae.Shared.Studies;
using GlcmMae.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GlcmMae.Functions.Tests.Timer;

/// <summary>
/// Study results against real Azurite (blobs, queue messages' bodies, tables) and the AMQP test broker: instances
/// processed concurrently and twice, completers racing, a late instance, an expected count, a completer that died.
/// </summary>
public sealed class StudyResultsTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private const string Study = "2.25.900";
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(60);
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero));
    private readonly LocalServiceBusBroker _broker = new(Topics.Results, Topics.Errors, Topics.StudyResults, Topics.FhirResults);
    private readonly Pseudonymiser _pseudonymiser = new(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private readonly string _table = "studies" + Guid.NewGuid().ToString("N")[..12];
    private ServingFixture _serving = null!;
    private ServiceBusClient _client = null!;
    private BlobContainerClient _scans = null!;

    public async Task InitializeAsync()
    {
        _broker.Start();
        _client = new ServiceBusClient(_broker.ConnectionString);
        _serving = await ServingFixture.CreateAsync();
        _scans = azurite.CreateBlobServiceClient().GetBlobContainerClient(ScanEventProcessor.ScansContainer);
        await _scans.CreateIfNotExistsAsync();
    }

    public async Task DisposeAsync()
    {
        await _serving.DisposeAsync();
        await _client.DisposeAsync();
        await _broker.DisposeAsync();
    }

    private StudyOptions Options() => new() { Store = StudyStore.Table, TableName = _table, QuietPeriodSeconds = Quiet.TotalSeconds, ClaimTimeoutSeconds = 120 };

    private PrivacyOptions Privacy() => new() { Mode = PrivacyMode.Pseudonymise, Key = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()) };

    private StudyLedger Ledger() => new(azurite.CreateTableServiceClient().GetTableClient(_table), Options());

    /// <summary>A completer as a function instance has one: its own ledger client and publisher.</summary>
    private StudyCompleter Completer(ILoggerFactory? logs = null, string? subjectSystem = null) =>
        new(Ledger(), new ServiceBusMessagePublisher(_client), Microsoft.Extensions.Options.Options.Create(Options()), Microsoft.Extensions.Options.Options.Create(Privacy()), (logs ?? NullLoggerFactory.Instance).CreateLogger<StudyCompleter>(), _clock,
            Microsoft.Extensions.Options.Options.Create(new GlcmMae.Shared.Fhir.FhirOptions { SubjectIdentifierSystem = subjectSystem }));

    private ClassifyScan Function(ILoggerFactory? logs = null) => new(new ScanEventProcessor(
        logs is null ? _serving.Pipeline : new ScanPipeline(_serving.Host, _serving.Options, logs.CreateLogger<ScanPipeline>()),
        azurite.CreateBlobServiceClient(),
        new PseudonymisingOutcomePublisher(new ServiceBusOutcomePublisher(_client), _pseudonymiser),
        (logs ?? NullLoggerFactory.Instance).CreateLogger<ScanEventProcessor>(),
        Completer(logs)));

    /// <summary>Uploads an instance of the study, in a folder named after the patient, and returns its BlobCreated event.</summary>
    private async Task<string> UploadAsync(string name, int frames, Func<int, byte> level, string sopInstanceUid, int? expected = null, string study = Study)
    {
        var dicom = DicomWriter.Write(SyntheticDicom.GreyCine(frames, level, study, sopInstanceUid).WithPatient(), DicomTransferSyntax.ExplicitVRLittleEndian);
        var blob = _scans.GetBlobClient($"Doe_Jane_PID-0042/{name}");
        var uploaded = await blob.UploadAsync(BinaryData.FromBytes(dicom), new BlobUploadOptions
        {
            Metadata = expected is { } count ? new Dictionary<string, string> { [StudyOptions.ExpectedInstancesMetadata] = count.ToString(System.Globalization.CultureInfo.InvariantCulture) } : null,
        });
        return BlobCreatedEvents.Create(blob.Uri, uploaded.Value.ETag.ToString(), ScanEventProcessor.ScansContainer, blob.Name, ScanEventSchema.EventGrid, ScanEventEncoding.Plain);
    }

    private StudyResult[] StudyMessages() =>
        [.. _broker.Messages(Topics.StudyResults).Select(m => JsonSerializer.Deserialize<StudyResult>(m.Body, ContractJson.Options)!).OrderBy(r => r.Revision)];

    private ClassificationResult[] Results() =>
        [.. _broker.Messages(Topics.Results).Select(m => JsonSerializer.Deserialize<ClassificationResult>(m.Body, ContractJson.Options)!)];

    [Fact]
    public async Task A_three_instance_study_with_a_cine_loop_is_published_once_under_concurrent_duplicated_events_and_racing_timers_then_amended_once_by_a_late_instance()
    {
        using var telemetry = new TelemetryRecorder();
        using var logs = LoggerFactory.Create(builder => builder.AddProvider(telemetry).SetMinimumLevel(LogLevel.Trace));
        string[] events =
        [
            await UploadAsync("1.dcm", 1, _ => 30, "2.25.901"),
            await UploadAsync("2.dcm", 1, _ => 200, "2.25.902"),
            await UploadAsync("cine.dcm", 30, f => (byte)(10 + (f * 8)), "2.25.903"),
        ];

        // Every event delivered twice, all at once, each delivery to its own function instance.
        await Task.WhenAll(events.Concat(events).Select(e => Task.Run(() => Function(logs).RunAsync(e, CancellationToken.None))));
        var early = await Completer().CompleteDueAsync(CancellationToken.None);
        _clock.Advance(Quiet + TimeSpan.FromSeconds(1));
        var timers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => Completer(logs).CompleteDueAsync(CancellationToken.None))));
        var again = await Completer().CompleteDueAsync(CancellationToken.None);

        Assert.Empty(early);
        Assert.Single(timers.SelectMany(t => t));
        Assert.Empty(again);
        var results = Results();
        Assert.Equal(3, results.Length);
        var cine = results.Single(r => r.Frames is not null);
        Assert.Equal(30, cine.Frames!.Frames.Count);
        var study = Assert.Single(StudyMessages());
        Assert.Equal(_pseudonymiser.Pseudonym(Study), study.StudyInstanceUid);
        Assert.Equal((1, "final", "quiet", "Mean"), (study.Revision, study.Status, study.CompletedBy, study.Rule));
        Assert.Equal(results.Select(r => r.ResultId).Order(), study.Instances.Select(i => i.ResultId).Order());
        Assert.Equal(results.Select(r => r.ResultId).Order(), study.Aggregated.Order());
        foreach (var label in TestModels.Labels)
        {
            // Each event ran twice; the copy the topic kept and the copy the study recorded may come from runs in
            // different micro-batches, which agree to float32 rounding.
            Assert.Equal(results.Average(r => r.Prediction.Probabilities[label]), study.Probabilities![label], 6);
        }

        Assert.Equal(study.Probabilities!.MaxBy(p => p.Value).Key, study.Label);
        Assert.Equal(study.StudyResultId, _broker.Messages(Topics.StudyResults).Single().MessageId);

        // A late instance reopens the study: one amended revision with every instance; its redelivery changes nothing.
        var late = await UploadAsync("late.dcm", 1, _ => 120, "2.25.904");
        await Function().RunAsync(late, CancellationToken.None);
        _clock.Advance(Quiet + TimeSpan.FromSeconds(1));
        var amended = await Completer().CompleteDueAsync(CancellationToken.None);
        await Function().RunAsync(late, CancellationToken.None);
        await Function().RunAsync(events[0], CancellationToken.None);
        _clock.Advance(Quiet + TimeSpan.FromSeconds(1));
        var nothing = await Completer().CompleteDueAsync(CancellationToken.None);

        Assert.Single(amended);
        Assert.Empty(nothing);
        var revisions = StudyMessages();
        Assert.Equal([1, 2], revisions.Select(r => r.Revision));
        Assert.Equal("amended", revisions[1].Status);
        Assert.Equal(4, revisions[1].Instances.Count);
        Assert.NotEqual(revisions[0].StudyResultId, revisions[1].StudyResultId);
        // Each revision's DiagnosticReport went with it, under the same id.
        var reports = _broker.Messages(Topics.FhirResults);
        Assert.Equal(revisions.Select(r => r.StudyResultId).Order(), reports.Select(r => r.MessageId).Order());
        Assert.All(reports, r => Assert.Equal("application/fhir+json", r.ContentType));
        Assert.Equal(["amended", "final"], reports.Select(r => GlcmMae.Shared.Fhir.DiagnosticReports.Deserialize<Hl7.Fhir.Model.DiagnosticReport>(r.Body).Status.ToString()!.ToLowerInvariant()).Order());

        // Nothing that names the patient or the study leaves: not the folder, not the UIDs; not in messages, logs, metrics or traces.
        var published = string.Join('\n', new[] { Topics.Results, Topics.Errors, Topics.StudyResults, Topics.FhirResults }
            .SelectMany(_broker.Messages)
            .Select(m => Encoding.UTF8.GetString(m.Body) + m.Subject + m.CorrelationId + string.Join(',', m.Properties.Values)));
        var recorded = telemetry.Text();
        Assert.Contains("Published study result", recorded, StringComparison.Ordinal);
        Assert.Contains("glcmmae.scans.classified", recorded, StringComparison.Ordinal);
        Assert.Contains("scan.classify", recorded, StringComparison.Ordinal);
        foreach (var secret in new[] { "Doe", "PID-0042", "19700101", "ACC-777", "2.25.90" })
        {
            Assert.DoesNotContain(secret, published, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, recorded, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_uploader_that_states_the_instance_count_gets_the_study_result_when_the_last_instance_is_classified()
    {
        var first = await UploadAsync("a.dcm", 1, _ => 40, "2.25.911", expected: 2, study: "2.25.910");
        var second = await UploadAsync("b.dcm", 1, _ => 60, "2.25.912", expected: 2, study: "2.25.910");

        await Function().RunAsync(first, CancellationToken.None);
        Assert.Empty(StudyMessages());
        await Function().RunAsync(second, CancellationToken.None);

        var study = Assert.Single(StudyMessages());
        Assert.Equal("expected", study.CompletedBy);
        Assert.Equal(2, study.Instances.Count);
    }

    [Fact]
    public async Task A_completer_that_died_after_publishing_is_replaced_after_the_claim_timeout_and_the_topic_drops_the_repeat()
    {
        const string study = "2.25.920";
        await Function().RunAsync(await UploadAsync("a.dcm", 1, _ => 40, "2.25.921", study: study), CancellationToken.None);
        _clock.Advance(Quiet + TimeSpan.FromSeconds(1));
        var ledger = Ledger();
        // The dying completer: claims, publishes, and never marks the study published.
        var claim = (await ledger.ClaimAsync(StudyKeys.Study(study), _clock.GetUtcNow(), CancellationToken.None))!;
        var built = GlcmMae.Shared.Studies.StudyMessages.Pseudonymise(StudyResultBuilder.Build(claim, Options(), _clock.GetUtcNow()), _pseudonymiser);
        await new ServiceBusMessagePublisher(_client).PublishAsync([GlcmMae.Shared.Studies.StudyMessages.ToMessage(built)]);

        var whileClaimed = await Completer().CompleteDueAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(121));
        var recovered = await Completer().CompleteDueAsync(CancellationToken.None);
        var afterwards = await Completer().CompleteDueAsync(CancellationToken.None);

        Assert.Empty(whileClaimed);
        Assert.Equal(built.StudyResultId, Assert.Single(recovered).StudyResultId);
        Assert.Empty(afterwards);
        Assert.Single(StudyMessages());
        Assert.Equal(1, _broker.DuplicatesDropped);
    }

    [Fact]
    public async Task The_timer_function_completes_due_studies_and_does_nothing_when_studies_are_off()
    {
        const string study = "2.25.930";
        await Function().RunAsync(await UploadAsync("a.dcm", 1, _ => 40, "2.25.931", study: study), CancellationToken.None);
        _clock.Advance(Quiet + TimeSpan.FromSeconds(1));
        var services = new ServiceCollection().AddSingleton(Completer()).BuildServiceProvider();

        await new CompleteStudies(services, Microsoft.Extensions.Options.Options.Create(new StudyOptions())).RunAsync(new Microsoft.Azure.Functions.Worker.TimerInfo(), CancellationToken.None);
        Assert.Empty(StudyMessages());
        await new CompleteStudies(services, Microsoft.Extensions.Options.Options.Create(Options())).RunAsync(new Microsoft.Azure.Functions.Worker.TimerInfo(), CancellationToken.None);

        Assert.Single(StudyMessages());
    }

    [Fact]
    public async Task With_a_subject_mapping_the_study_report_names_its_patient_only_by_the_pseudonym_of_the_patient_id()
    {
        await Function().RunAsync(await UploadAsync("a.dcm", 1, _ => 40, "2.25.941", study: "2.25.940"), CancellationToken.None);
        _clock.Advance(Quiet + TimeSpan.FromSeconds(1));

        await Completer(subjectSystem: "urn:oid:1.2.3.4.5").CompleteDueAsync(CancellationToken.None);

        var message = Assert.Single(_broker.Messages(Topics.FhirResults));
        var report = GlcmMae.Shared.Fhir.DiagnosticReports.Deserialize<Hl7.Fhir.Model.DiagnosticReport>(message.Body);
        Assert.Equal("urn:oid:1.2.3.4.5", report.Subject!.Identifier!.System);
        Assert.Equal(_pseudonymiser.Pseudonym("PID-0042"), report.Subject.Identifier.Value);
        Assert.DoesNotContain("PID-0042", Encoding.UTF8.GetString(message.Body), StringComparison.Ordinal);
    }
}
