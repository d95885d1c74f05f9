namespace Infera.Jobs;

/// <summary>The snake_case names of <see cref="JobErrorCode"/> used on the wire and in storage.</summary>
public static class ErrorCodes
{
    public static string Of(JobErrorCode code) => code switch
    {
        JobErrorCode.ModelNotFound => "model_not_found",
        JobErrorCode.NoCapacity => "no_capacity",
        JobErrorCode.NodeFailure => "node_failure",
        JobErrorCode.Timeout => "timeout",
        JobErrorCode.Cancelled => "cancelled",
        _ => "internal_error",
    };
}
