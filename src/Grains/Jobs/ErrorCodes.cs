namespace Infera.Jobs;

/// <summary>The wire names of job error codes, as stored and shown in job views, both ways.</summary>
public static class ErrorCodes
{
    private static readonly (JobErrorCode Code, string Name)[] Names =
    [
        (JobErrorCode.ModelNotFound, "model_not_found"),
        (JobErrorCode.NoCapacity, "no_capacity"),
        (JobErrorCode.NodeFailure, "node_failure"),
        (JobErrorCode.Timeout, "timeout"),
        (JobErrorCode.Cancelled, "cancelled"),
        (JobErrorCode.Unavailable, "unavailable"),
        (JobErrorCode.Internal, "internal_error"),
    ];

    public static string Of(JobErrorCode code) => Names.FirstOrDefault(n => n.Code == code).Name ?? "internal_error";

    /// <summary>The code a stored name stands for; an unknown name is an internal error.</summary>
    public static JobErrorCode Parse(string name) =>
        Names.FirstOrDefault(n => string.Equals(n.Name, name, StringComparison.Ordinal)) is { Name: not null } known ? known.Code : JobErrorCode.Internal;
}
