using System.Security.Cryptography;
using System.Text;

namespace GlcmMae.Shared.Studies;

/// <summary>Table keys: hashes, so that UIDs never appear in keys (which show up in storage logs and URLs) and any UID is a legal key.</summary>
public static class StudyKeys
{
    /// <summary>The partition of a study.</summary>
    public static string Study(string studyInstanceUid) => Hash("study", studyInstanceUid);

    /// <summary>The row of an instance: by SOP Instance UID, so a re-upload of the same instance replaces its result.</summary>
    public static string Instance(string instanceIdentity) => InstanceRow.Prefix + Hash("instance", instanceIdentity);

    private static string Hash(string kind, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(kind + ":" + value)))[..32];
    }
}
