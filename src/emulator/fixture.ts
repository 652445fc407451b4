// What the emulator is seeded with (apps, users, boards, sections), and the demo world `npm run emulator`
// and `npm start` use.
import { z } from 'zod';
import { boardPrivacySchema, pinterestIdSchema } from '../pinterest/schemas';

export const appSchema = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  /** Exact-match list, as Pinterest compares redirect URIs. */
  redirectUris: z.array(z.string().url()).default([]),
});

export const userSchema = z.object({
  id: pinterestIdSchema,
  username: z.string().min(1),
  accountType: z.enum(['PINNER', 'BUSINESS']).default('BUSINESS'),
  businessName: z.string().nullable().default(null),
  monthlyViews: z.number().int().nullable().default(0),
  followerCount: z.number().int().min(0).default(0),
  followingCount: z.number().int().min(0).default(0),
  about: z.string().default(''),
  websiteUrl: z.string().default(''),
  profileImage: z.string().default(''),
});

export const boardSeedSchema = z.object({
  id: pinterestIdSchema,
  ownerId: pinterestIdSchema,
  name: z.string().min(1),
  description: z.string().nullable().default(null),
  privacy: boardPrivacySchema.default('PUBLIC'),
  createdAt: z.iso.datetime().optional(),
});

export const sectionSeedSchema = z.object({ id: pinterestIdSchema, boardId: pinterestIdSchema, name: z.string().min(1).max(180) });

/** Seeding adds or replaces by id; it never removes. */
export const fixtureSchema = z.object({
  apps: z.array(appSchema).default([]),
  users: z.array(userSchema).default([]),
  boards: z.array(boardSeedSchema).default([]),
  sections: z.array(sectionSeedSchema).default([]),
});
/** What a caller writes (defaults may be left out). */
export type Fixture = z.input<typeof fixtureSchema>;
export type App = z.infer<typeof appSchema>;
export type User = z.infer<typeof userSchema>;
export type BoardSeed = z.infer<typeof boardSeedSchema>;
export type SectionSeed = z.infer<typeof sectionSeedSchema>;

/** Ids of the demo world, for tests and for people trying pinflow offline. */
export const demo = {
  clientId: '1500000',
  clientSecret: 'emulator-demo-secret',
  /** The API's OAuth callback path (OAUTH_CALLBACK_PATH in src/accounts/connect.ts). */
  callbackPath: '/v1/oauth/pinterest/callback',
  /** That callback under the API's default address. */
  redirectUris: ['http://127.0.0.1:3000/v1/oauth/pinterest/callback', 'http://localhost:3000/v1/oauth/pinterest/callback'],
  userId: '1100000000000000001',
  username: 'pinflow_demo',
  otherUserId: '1100000000000000002',
  boards: {
    recipes: '1200000000000000001',
    travel: '1200000000000000002',
    drafts: '1200000000000000003',
    othersBoard: '1200000000000000009',
  },
  sections: { salads: '1300000000000000001' },
} as const;

export function demoFixture(app: { clientId?: string; clientSecret?: string; redirectUris?: string[] } = {}): Fixture {
  return {
    apps: [
      {
        clientId: app.clientId || demo.clientId,
        clientSecret: app.clientSecret || demo.clientSecret,
        redirectUris: app.redirectUris ?? [...demo.redirectUris],
      },
    ],
    users: [
      {
        id: demo.userId,
        username: demo.username,
        accountType: 'BUSINESS',
        businessName: 'Pinflow Demo Kitchen',
        monthlyViews: 48_210,
        followerCount: 1_204,
        followingCount: 87,
      },
      { id: demo.otherUserId, username: 'someone_else', accountType: 'PINNER', monthlyViews: 310 },
    ],
    boards: [
      {
        id: demo.boards.recipes,
        ownerId: demo.userId,
        name: 'Recipes',
        description: 'Weeknight dinners',
        privacy: 'PUBLIC',
        createdAt: '2024-03-01T09:00:00Z',
      },
      { id: demo.boards.travel, ownerId: demo.userId, name: 'Travel', privacy: 'PUBLIC', createdAt: '2024-05-12T14:30:00Z' },
      {
        id: demo.boards.drafts,
        ownerId: demo.userId,
        name: 'Drafts',
        description: 'Only I see this',
        privacy: 'SECRET',
        createdAt: '2024-06-20T08:15:00Z',
      },
      { id: demo.boards.othersBoard, ownerId: demo.otherUserId, name: 'Not yours', privacy: 'PUBLIC', createdAt: '2024-01-05T10:00:00Z' },
    ],
    sections: [{ id: demo.sections.salads, boardId: demo.boards.recipes, name: 'Salads' }],
  };
}
