namespace GlcmMae.Shared.Studies;

/// <summary>Where instance results are kept until their study is complete.</summary>
public enum StudyStore
{
    /// <summary>No study results: every scan is its own answer.</summary>
    Off,

    /// <summary>Azure Table Storage (Azurite locally): the table <see cref="StudyOptions.TableName"/> of the storage account.</summary>
    Table,
}
