'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

export function NavLinks({ items }: { items: { href: string; label: string }[] }) {
  const pathname = usePathname();
  return (
    // One row on every screen: on a phone it scrolls sideways inside itself, never the page.
    // The right edge fades while there is more to scroll to (the padding lets the last item clear it).
    <nav
      aria-label="Console"
      className="-mx-1 min-w-0 max-w-full overflow-x-auto [mask-image:linear-gradient(to_right,black_85%,transparent)] lg:[mask-image:none]"
    >
      <ul className="flex gap-1 whitespace-nowrap px-1 pr-10 lg:pr-1">
        {items.map((item) => {
          const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={active ? 'page' : undefined}
                className={`block rounded-md px-3 py-1.5 text-sm font-medium ${active ? 'bg-white/15 text-white' : 'text-slate-300 hover:bg-white/10 hover:text-white'}`}
              >
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
