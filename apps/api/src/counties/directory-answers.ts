import { ApiProperty } from '@nestjs/swagger';

/*
 * What the directory routes answer (GET /centres, /centres/:centreId, /counties, /counties/:countyId),
 * for the OpenAPI document only: the answers are built in counties.controller.ts (centreOnDay,
 * libs/projections/src/directory/centre-directory.ts), not validated against these classes.
 */

export class UpcomingRenameAnswer {
  @ApiProperty({ example: 'Karriere Telemark', description: 'The name the centre will have' }) name!: string;
  @ApiProperty({ type: String, format: 'date', example: '2027-01-01', description: 'Its first day (after today)' }) effectiveFrom!: string;
}

export class CentreNameFromAnswer {
  @ApiProperty({ example: 'Karrieresenteret Skien' }) name!: string;
  @ApiProperty({ type: String, format: 'date', example: '2014-03-01', description: 'The first day this name is in force (the opening day for the registered name)' }) from!: string;
}

export class CentreAnswer {
  @ApiProperty({ example: 'kc-skien' }) centreId!: string;
  @ApiProperty({ example: 'telemark' }) countyId!: string;
  @ApiProperty({
    example: 'Karrieresenteret Skien',
    description: "The name in force today (today's date in Norway, Europe/Oslo): a rename dated later is not shown here but in upcomingRename until its day",
  })
  name!: string;
  @ApiProperty({ example: 'Skien' }) municipality!: string;
  @ApiProperty({ type: String, format: 'date', example: '2014-03-01', description: 'The day the centre opened' }) openedOn!: string;
  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2016-01-01', description: 'The first day the centre is closed (null while none is recorded)' }) closedOn!: string | null;
  @ApiProperty({ type: [CentreNameFromAnswer], description: 'Every name with its first day, the registered name first, then the renames in the order recorded' }) names!: CentreNameFromAnswer[];
  @ApiProperty({ type: 'integer', example: 20, description: 'Global log position of the registration' }) registeredAtPosition!: number;
  @ApiProperty({
    type: UpcomingRenameAnswer,
    nullable: true,
    description: 'The earliest rename dated after today (two on that day: the one recorded last); null when none. An answer with one changes on its day, so it is not kept in the answer cache',
  })
  upcomingRename!: UpcomingRenameAnswer | null;
}

export class CountyAnswer {
  @ApiProperty({ example: 'telemark' }) countyId!: string;
  @ApiProperty({ example: 'Telemark' }) name!: string;
  @ApiProperty({ example: '08', description: 'The official two-digit county number of 2014' }) countyNumber!: string;
  @ApiProperty({ type: [String], example: ['kc-skien'] }) centreIds!: string[];
  @ApiProperty({ type: [CentreAnswer], description: 'The county\'s centres, as GET /centres/{centreId} answers each' }) centres!: CentreAnswer[];
}
