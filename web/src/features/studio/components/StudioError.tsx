import { ApiError } from '../../../shared/api/client.ts';
import { ErrorText } from '../../../shared/ui/ErrorText.tsx';
import { studioErrorKey } from '../text.ts';
import { useStudioText } from '../use-studio-text.ts';

/** A refusal in words the anchor can act on: the console's own codes first, then the app's. */
export function StudioError({ error }: { error: unknown }) {
  const st = useStudioText();
  if (error === null || error === undefined) return null;
  const key = error instanceof ApiError ? studioErrorKey(error.error) : undefined;
  if (key) {
    return (
      <p className="form-error" role="alert">
        {st(key)}
      </p>
    );
  }
  return <ErrorText error={error} />;
}
