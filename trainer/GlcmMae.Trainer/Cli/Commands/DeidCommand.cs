using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using GlcmMae.Shared.Deidentification;
using GlcmMae.Trainer.Data;

namespace GlcmMae.Trainer.Cli.Commands;

/// <summary><c>glcmmae deid IN OUT</c>: the Basic Application Level Confidentiality Profile over a folder or blob prefix, before data leaves the hospital.</summary>
internal static class DeidCommand
{
    /// <summary>Largest file read.</summary>
    private const long MaxFileBytes = 2L * 1024 * 1024 * 1024;

    public static Command Create()
    {
        var input = new Argument<string>("in") { Description = "Folder of scans, or az://container/prefix." };
        var output = new Argument<string>("out") { Description = "Folder, or az://container/prefix, for the de-identified files ({study}/{series}/{instance}.dcm under new UIDs)." };
        var allowBurnedIn = new Option<bool>("--allow-burned-in") { Description = "Also write scans that declare burned-in annotation (0028,0301 = YES); their pixels are not cleaned, so check them first." };
        var uidKey = new Option<string?>("--uid-key") { Description = "Base64 key (16 bytes or more) of the UID replacement: give the same key to runs over parts of one dataset so their UIDs agree; default: a new random key per run." };
        var refusedList = new Option<string?>("--refused-list") { Description = "Write the names of files not written, with the reason, to this local file (names can carry patient data; they never go to the console)." };
        var json = CommonOptions.Json();
        var command = new Command("deid", Strings.DeidDescription) { input, output, allowBurnedIn, uidKey, refusedList, json };
        command.SetAction(UserErrors.Handle(async (parseResult, cancellationToken) =>
        {
            var key = parseResult.GetValue(uidKey) is { Length: > 0 } given ? Key(given) : RandomNumberGenerator.GetBytes(32);
            var deidentifier = new DicomDeidentifier(key, parseResult.GetValue(allowBurnedIn));
            var progress = new LineProgress(Console.Error, "deid");
            void Report(int count)
            {
                // Counts only: progress never names a file.
                if (count % 100 == 0)
                {
                    progress.Report($"{count} file(s)");
                }
            }

            var summary = await new DatasetDeidentification(deidentifier, MaxFileBytes)
                .RunAsync(parseResult.GetRequiredValue(input), parseResult.GetRequiredValue(output), parseResult.GetValue(refusedList), Report, cancellationToken).ConfigureAwait(false);
            var writer = parseResult.InvocationConfiguration.Output;
            if (parseResult.GetValue(json))
            {
                var document = new { summary.Files, summary.Written, summary.Refused, summary.Changes, Profile = BasicProfile.MethodDescription };
                await writer.WriteLineAsync(JsonSerializer.Serialize(document, CliJson.Options)).ConfigureAwait(false);
            }
            else
            {
                await writer.WriteLineAsync($"De-identified {summary.Written} of {summary.Files} file(s) ({BasicProfile.MethodDescription}).").ConfigureAwait(false);
                foreach (var (reason, count) in summary.Refused)
                {
                    await writer.WriteLineAsync($"  not written: {count} {reason}{(reason == "BurnedInAnnotation" ? " (check the pixels, then --allow-burned-in)" : string.Empty)}").ConfigureAwait(false);
                }

                foreach (var (change, count) in summary.Changes)
                {
                    await writer.WriteLineAsync($"  {change} x{count}").ConfigureAwait(false);
                }
            }

            // Exit 0 when every file was written; 1 when some were refused, so a script does not ship a partial dataset unawares.
            return summary.Written == summary.Files ? 0 : 1;
        }));
        return command;
    }

    private static byte[] Key(string base64)
    {
        try
        {
            return Convert.FromBase64String(base64) is { Length: >= 16 } key ? key : throw new ArgumentException("--uid-key needs 16 bytes or more (base64).");
        }
        catch (FormatException)
        {
            throw new ArgumentException("--uid-key is not base64; generate one with: openssl rand -base64 32");
        }
    }
}
