using System.ComponentModel.DataAnnotations;

namespace GlcmMae.Shared.Privacy;

/// <summary>Pseudonymisation of what messages say about a scan's origin (section "Privacy").</summary>
public sealed class PrivacyOptions : IValidatableObject
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Privacy";

    /// <summary>Off, or Pseudonymise.</summary>
    public PrivacyMode Mode { get; set; } = PrivacyMode.Off;

    /// <summary>The HMAC key, base64, at least 32 bytes (in Azure, a Key Vault secret); whoever holds it can match their own names and UIDs to the pseudonyms.</summary>
    public string? Key { get; set; }

    /// <summary>The pseudonymiser of <see cref="Key"/> when <see cref="Mode"/> is Pseudonymise (the options validated), else null.</summary>
    public Pseudonymiser? CreatePseudonymiser() => Mode == PrivacyMode.Pseudonymise ? new Pseudonymiser(Convert.FromBase64String(Key!)) : null;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Mode == PrivacyMode.Off)
        {
            yield break;
        }

        byte[]? key = null;
        try
        {
            key = Key is { Length: > 0 } ? Convert.FromBase64String(Key) : null;
        }
        catch (FormatException)
        {
            // Reported below.
        }

        if (key is null || key.Length < Pseudonymiser.MinimumKeyBytes)
        {
            yield return new ValidationResult(
                $"Privacy:Mode Pseudonymise needs Privacy:Key: at least {Pseudonymiser.MinimumKeyBytes} random bytes, base64 (for example `openssl rand -base64 32`).",
                [nameof(Key)]);
        }
    }
}
