'use client';

import { useEffect, useState } from 'react';

/** Sends the browser's time zone with the form, so datetime-local values are read correctly. */
export function TimezoneField() {
  const [zone, setZone] = useState('');
  useEffect(() => setZone(Intl.DateTimeFormat().resolvedOptions().timeZone), []);
  return <input type="hidden" name="timezone" value={zone} />;
}
