using Azure.Data.Tables;
using Azure.Messaging.ServiceBus;
using Azure.Storage.Blobs;
using GlcmMae.Shared.Fhir;
using GlcmMae.Shared.Imaging.Dicom;
using GlcmMae.Shared.Inference;
using GlcmMae.Shared.Messaging;
using GlcmMae.Shared.Models;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Shared.Privacy;
using GlcmMae.Shared.Storage;
using GlcmMae.Shared.Studies;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GlcmMae.Shared.Serving;

/// <summary>Registers the serving pipeline: options (validated at start), registry, model host and refresher, pipeline, publisher.</summary>
public static class ServingServiceCollectionExtensions
{
    /// <summary>Adds everything <see cref="ScanEventProcessor"/> needs except the Azure clients, which the host registers.</summary>
    public static IServiceCollection AddScanServing(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ServingOptions>()
            .Bind(configuration.GetSection(ServingOptions.Section))
            .PostConfigure(o => o.ModelName = configuration["Models:Name"] ?? o.ModelName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // Enums bind case-insensitively; an unknown value (Serving:ModelStore=blob) fails at start, not at the first scan.
        services.AddOptions<ServingSettings>().Bind(configuration.GetSection(ServingSettings.Section)).ValidateOnStart();
        services.AddOptions<PrivacyOptions>()
            .Bind(configuration.GetSection(PrivacyOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<FrameOptions>()
            .Bind(configuration.GetSection(FrameOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<DicomReaderOptions>()
            .Bind(configuration.GetSection(DicomReaderOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<ServingSettings>>().Value;
            IBlobStore store = settings.ModelStore == ModelStoreKind.Local
                ? new LocalFolderBlobStore(settings.ModelsRoot)
                : new AzureBlobStore(sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(settings.ModelsContainer));
            return new ModelRegistry(store);
        });
        services.AddSingleton<ModelHost>();
        services.AddHostedService<ModelRefreshService>();
        services.AddSingleton<ScanPipeline>();
        services.AddOptions<FhirOptions>()
            .Bind(configuration.GetSection(FhirOptions.Section))
            .Validate<IOptions<PrivacyOptions>>(
                (fhir, privacy) => fhir.SubjectIdentifierSystem is null || (Uri.TryCreate(fhir.SubjectIdentifierSystem, UriKind.Absolute, out _) && privacy.Value.Mode == PrivacyMode.Pseudonymise),
                "Fhir:SubjectIdentifierSystem must be an absolute URI (e.g. urn:oid:...) and needs Privacy:Mode=Pseudonymise: the subject is referenced only by the pseudonym of its Patient ID.")
            .ValidateOnStart();
        services.AddSingleton<IOutcomePublisher>(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<ServingSettings>>().Value;
            IOutcomePublisher transport = settings.Messaging == OutcomeTransport.File
                ? new FileTopicPublisher(settings.TopicsRoot)
                : new ServiceBusOutcomePublisher(sp.GetRequiredService<ServiceBusClient>());
            if (sp.GetRequiredService<IOptions<FhirOptions>>().Value.Reports == FhirReports.StudiesAndInstances)
            {
                transport = new FhirReportingOutcomePublisher(transport, sp.GetRequiredService<IMessagePublisher>(), sp.GetRequiredService<IOptions<FhirOptions>>().Value.SubjectIdentifierSystem);
            }

            return sp.GetRequiredService<IOptions<PrivacyOptions>>().Value.CreatePseudonymiser() is { } pseudonymiser
                ? new PseudonymisingOutcomePublisher(transport, pseudonymiser)
                : transport;
        });
        services.AddOptions<StudyOptions>()
            .Bind(configuration.GetSection(StudyOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IMessagePublisher>(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<ServingSettings>>().Value;
            return settings.Messaging == OutcomeTransport.File
                ? new FileMessagePublisher(settings.TopicsRoot)
                : new ServiceBusMessagePublisher(sp.GetRequiredService<ServiceBusClient>());
        });
        services.AddSingleton(sp =>
        {
            var studies = sp.GetRequiredService<IOptions<StudyOptions>>().Value;
            return new StudyLedger(sp.GetRequiredService<TableServiceClient>().GetTableClient(studies.TableName), studies);
        });
        services.AddSingleton<StudyCompleter>();
        services.AddSingleton(sp => new ScanEventProcessor(
            sp.GetRequiredService<ScanPipeline>(),
            sp.GetRequiredService<BlobServiceClient>(),
            sp.GetRequiredService<IOutcomePublisher>(),
            sp.GetRequiredService<ILogger<ScanEventProcessor>>(),
            sp.GetRequiredService<IOptions<StudyOptions>>().Value.Store == StudyStore.Table ? sp.GetRequiredService<StudyCompleter>() : null));
        return services;
    }
}
