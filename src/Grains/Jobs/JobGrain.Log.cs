using Microsoft.Extensions.Logging;

namespace Infera.Jobs;

public sealed partial class JobGrain
{
    [LoggerMessage(1001, LogLevel.Debug, "Job {JobId} for {Model} dispatched to {Count} of {Wanted} nodes")]
    private static partial void LogJobDispatched(ILogger logger, string jobId, string model, int count, int wanted);

    [LoggerMessage(1002, LogLevel.Warning, "Job {JobId}: assignment {AssignmentId} on node {Node} lost: {Error}")]
    private static partial void LogAssignmentLost(ILogger logger, string jobId, string assignmentId, string node, string? error);

    [LoggerMessage(1003, LogLevel.Information, "Job {JobId}: stream moved from {From} to {To} after {SentChars} characters")]
    private static partial void LogStreamMoved(ILogger logger, string jobId, string from, string to, int sentChars);

    [LoggerMessage(1004, LogLevel.Debug, "Job {JobId} settled: {Status}, verification {Verification}, {Assignments} assignments")]
    private static partial void LogJobSettled(ILogger logger, string jobId, string status, string verification, int assignments);

    [LoggerMessage(1005, LogLevel.Error, "Job {JobId} crashed")]
    private static partial void LogJobCrashed(ILogger logger, Exception exception, string jobId);
}
