/** Inline SVG icons; decorative unless given a label. */
import type { SVGProps } from 'react';

const base = { width: 16, height: 16, viewBox: '0 0 24 24', 'aria-hidden': true, focusable: false } as const;

export const DiamondIcon = (props: SVGProps<SVGSVGElement>) => (
  <svg {...base} {...props}>
    <path fill="currentColor" d="M6.5 3h11l4 5.5L12 21 2.5 8.5 6.5 3Zm1 2-2 3h4l1.5-3H7.5Zm5.6 0 1.4 3h4l-2-3h-3.4ZM12 6.2 10.7 8.9h2.6L12 6.2ZM5 10.5l5.6 7.2-2-7.2H5Zm5.7 0L12 16.4l1.3-5.9h-2.6Zm4.7 0-2 7.2 5.6-7.2h-3.6Z" />
  </svg>
);

export const EyeIcon = (props: SVGProps<SVGSVGElement>) => (
  <svg {...base} {...props}>
    <path fill="currentColor" d="M12 5c5 0 8.7 4.2 9.8 6.4a1.3 1.3 0 0 1 0 1.2C20.7 14.8 17 19 12 19s-8.7-4.2-9.8-6.4a1.3 1.3 0 0 1 0-1.2C3.3 9.2 7 5 12 5Zm0 3a4 4 0 1 0 0 8 4 4 0 0 0 0-8Zm0 2a2 2 0 1 1 0 4 2 2 0 0 1 0-4Z" />
  </svg>
);

export const HeartIcon = (props: SVGProps<SVGSVGElement> & { filled?: boolean }) => {
  const { filled, ...rest } = props;
  return (
    <svg {...base} {...rest}>
      <path
        fill={filled ? 'currentColor' : 'none'}
        stroke="currentColor"
        strokeWidth="2"
        d="M12 20s-7-4.4-9-9.2C1.7 7.6 4 4.5 7.2 4.5c2 0 3.5 1.1 4.8 2.8 1.3-1.7 2.8-2.8 4.8-2.8 3.2 0 5.5 3.1 4.2 6.3C19 15.6 12 20 12 20Z"
      />
    </svg>
  );
};

export const LockIcon = (props: SVGProps<SVGSVGElement>) => (
  <svg {...base} {...props}>
    <path fill="currentColor" d="M12 2a5 5 0 0 1 5 5v3h1a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2v-8a2 2 0 0 1 2-2h1V7a5 5 0 0 1 5-5Zm0 2a3 3 0 0 0-3 3v3h6V7a3 3 0 0 0-3-3Zm0 9a2 2 0 0 0-1 3.7V18h2v-1.3A2 2 0 0 0 12 13Z" />
  </svg>
);

export const StarIcon = (props: SVGProps<SVGSVGElement>) => (
  <svg {...base} {...props}>
    <path fill="currentColor" d="m12 2.5 2.9 6 6.6.9-4.8 4.6 1.2 6.5L12 17.4l-5.9 3.1 1.2-6.5-4.8-4.6 6.6-.9 2.9-6Z" />
  </svg>
);

export const GlobeIcon = (props: SVGProps<SVGSVGElement>) => (
  <svg {...base} {...props}>
    <path
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      d="M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18Zm-9 9h18M12 3c2.5 2.7 3.8 5.7 3.8 9s-1.3 6.3-3.8 9c-2.5-2.7-3.8-5.7-3.8-9S9.5 5.7 12 3Z"
    />
  </svg>
);

export const BroadcastIcon = (props: SVGProps<SVGSVGElement>) => (
  <svg {...base} {...props}>
    <path
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      d="M12 13.5a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3Zm-3.5 2a5 5 0 0 1 0-7m7 0a5 5 0 0 1 0 7M5.6 18.4a9 9 0 0 1 0-12.8m12.8 0a9 9 0 0 1 0 12.8"
    />
  </svg>
);

export const ShareIcon = (props: SVGProps<SVGSVGElement>) => (
  <svg {...base} {...props}>
    <path
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      d="M12 3v12M7.5 7.5 12 3l4.5 4.5M5 12v7a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2v-7"
    />
  </svg>
);

export const TheatreIcon = (props: SVGProps<SVGSVGElement>) => (
  <svg {...base} {...props}>
    <path fill="none" stroke="currentColor" strokeWidth="2" strokeLinejoin="round" d="M3 5h18v14H3zM15 5v14" />
  </svg>
);
