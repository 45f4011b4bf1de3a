using System.CommandLine;
using System.Text.Json;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Shared.Serving;
using GlcmMae.Shared.Storage;
using GlcmMae.Trainer.Hosting;
using GlcmMae.Trainer.Serving;
using Spectre.Console;

namespace GlcmMae.Trainer.Cli.Commands;

/// <summary><c>glcmmae upload PATH...</c>: local scans into the scans container, with the events Azurite cannot send.</summary>
internal static class UploadCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Scan files, or folders whose files are all uploaded (blob names keep the path below the folder).", Arity = ArgumentArity.OneOrMore };
        var prefix = new Option<string>("--prefix") { Description = "Blob name prefix (a virtual folder), e.g. study-0001.", DefaultValueFactory = _ => string.Empty };
        var announce = new Option<bool>("--announce") { Description = "Also put each upload's BlobCreated event on the scan-events queue, as Event Grid does in Azure (for Azurite, which has no Event Grid)." };
        var schema = new Option<ScanEventSchema>("--event-schema") { Description = "Schema of the announced events: EventGrid or CloudEvents (the Event Grid subscription's delivery schema).", DefaultValueFactory = _ => ScanEventSchema.EventGrid };
        var encoding = new Option<ScanEventEncoding>("--event-encoding") { Description = "Encoding of the announced events in the queue message: Plain JSON or Base64.", DefaultValueFactory = _ => ScanEventEncoding.Plain };
        var json = CommonOptions.Json();
        var command = new Command("upload", Strings.UploadDescription) { paths, prefix, announce, schema, encoding, json };
        command.SetAction(UserErrors.Handle(async (parseResult, cancellationToken) =>
        {
            var files = ScanUploader.Expand(parseResult.GetRequiredValue(paths), parseResult.GetRequiredValue(prefix));
            var connections = TrainerSettings.Connections();
            var container = connections.Container(ScanEventProcessor.ScansContainer);
            var events = parseResult.GetValue(announce) ? ScanEventQueues.Open(connections) : null;
            var quiet = parseResult.GetValue(json);
            var console = ConsoleOutput.Create(parseResult);
            IReadOnlyList<UploadedScan> uploaded = [];
            if (!quiet && console.Profile.Capabilities.Interactive)
            {
                await console.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .StartAsync(async context =>
                    {
                        var task = context.AddTask("uploading", maxValue: files.Count);
                        uploaded = await ScanUploader.UploadAsync(container, events, files, new Progress<UploadedScan>(_ => task.Increment(1)), parseResult.GetValue(schema), parseResult.GetValue(encoding), cancellationToken).ConfigureAwait(false);
                    }).ConfigureAwait(false);
            }
            else
            {
                uploaded = await ScanUploader.UploadAsync(container, events, files, null, parseResult.GetValue(schema), parseResult.GetValue(encoding), cancellationToken).ConfigureAwait(false);
            }

            if (quiet)
            {
                await parseResult.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(uploaded, JsonSerializerOptions.Web)).ConfigureAwait(false);
                return 0;
            }

            var table = new Table().Border(TableBorder.Rounded).AddColumns("blob", "bytes", "etag", "event queued");
            foreach (var scan in uploaded)
            {
                table.AddRow(Markup.Escape(scan.BlobName), $"{scan.Bytes}", Markup.Escape(scan.ETag), scan.Announced ? "yes" : "no");
            }

            console.Write(table);
            console.MarkupLine(Markup.Escape($"Uploaded {uploaded.Count} scan(s) to {container.Uri}{(events is null ? "; in Azure, Event Grid announces them to the scan-events queue." : $"; their events are on {events.Name}.")}"));
            return 0;
        }));
        return command;
    }
}
