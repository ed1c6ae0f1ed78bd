import type { ApiError } from '../api/problem.js';

export function Loading({ label }: { label: string }) {
  return (
    <p role="status" class="loading">
      {label}
    </p>
  );
}

/** An error from the API: its title and detail, field errors if any, and a way to try again. */
export function ErrorNotice({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  return (
    <div role="alert" class="notice error">
      <p class="notice-title">{error.title}</p>
      {error.detail !== null && <p>{error.detail}</p>}
      {error.errors.length > 0 && (
        <ul>
          {error.errors.map((fieldError) => (
            <li key={fieldError.path}>
              {fieldError.path === '' ? fieldError.message : `${fieldError.path}: ${fieldError.message}`}
            </li>
          ))}
        </ul>
      )}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
