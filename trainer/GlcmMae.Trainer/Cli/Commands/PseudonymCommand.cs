using System.CommandLine;
using System.Text.Json;
using GlcmMae.Shared.Privacy;
using GlcmMae.Trainer.Hosting;
using Microsoft.Extensions.Configuration;

namespace GlcmMae.Trainer.Cli.Commands;

/// <summary><c>glcmmae pseudonym VALUE...</c>: the pseudonyms serving publishes for blob names or DICOM UIDs, under the key of <c>Privacy:Key</c>.</summary>
internal static class PseudonymCommand
{
    public static Command Create()
    {
        var values = new Argument<string[]>("values") { Description = "Blob names or DICOM UIDs, exactly as serving reads them.", Arity = ArgumentArity.OneOrMore };
        var json = CommonOptions.Json();
        var command = new Command("pseudonym", Strings.PseudonymDescription) { values, json };
        command.SetAction(UserErrors.Handle(async (parseResult, cancellationToken) =>
        {
            var configuration = new ConfigurationBuilder().AddGlcmMaeSettings(new Dictionary<string, string?>()).Build();
            var options = new PrivacyOptions { Mode = PrivacyMode.Pseudonymise, Key = configuration[$"{PrivacyOptions.Section}:Key"] };
            if (options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).FirstOrDefault() is { } problem)
            {
                throw new ArgumentException(problem.ErrorMessage + " Set it as GLCMMAE_Privacy__Key, the key serving uses.");
            }

            var pseudonymiser = options.CreatePseudonymiser()!;
            var pairs = parseResult.GetRequiredValue(values).Select(v => new { Value = v, Pseudonym = pseudonymiser.Pseudonym(v) }).ToList();
            var output = parseResult.InvocationConfiguration.Output;
            if (parseResult.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(pairs, CliJson.Options)).ConfigureAwait(false);
                return 0;
            }

            foreach (var pair in pairs)
            {
                await output.WriteLineAsync($"{pair.Pseudonym}\t{pair.Value}").ConfigureAwait(false);
            }

            return 0;
        }));
        return command;
    }
}
