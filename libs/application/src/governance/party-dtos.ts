import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateBy, ValidateIf } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { organisationNumberProblem, PARTY_KINDS, PartyKind } from '../../../domain/src/parties';
import { Day, Id } from '../counties/dtos';
import { IsNotBlank, IsPlainText } from '../plain-text';
import { coded, shown } from '../validation';

/** The domain's organisation-number rule (nine digits, mod-11 check digit) as a request check, answering its code and message. */
const IsOrganisationNumber = (): PropertyDecorator =>
  ValidateBy({ name: 'isOrganisationNumber', validator: { validate: (v: unknown) => organisationNumberProblem(v) === null } }, coded('PARTY.ORGANISATION_NUMBER_INVALID', (a) => organisationNumberProblem(a.value) ?? ''));

export class RegisterPartyDto {
  @ApiProperty({ example: 'nav-telemark' })
  @Id()
  partyId!: string;

  @ApiProperty({ example: 'NAV Telemark' })
  @IsString() @IsNotEmpty() @IsNotBlank() @MaxLength(200) @IsPlainText()
  name!: string;

  @ApiProperty({ enum: PARTY_KINDS, example: 'nav-county-office' })
  @IsIn(PARTY_KINDS as unknown as string[], coded('PARTY.UNKNOWN_KIND', (a) => `Party kind ${shown(a.value)} is not one of: ${PARTY_KINDS.join(', ')}`))
  kind!: PartyKind;

  @ApiPropertyOptional({ example: 'telemark', nullable: true, type: String, description: 'The county the party belongs to; leave out for national or cross-county parties (finance officers may then register it too).' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @Id()
  countyId?: string | null;

  @ApiPropertyOptional({ example: '974600951', nullable: true, type: String, pattern: '^\\d{9}$', description: 'Norwegian organisation number: 9 digits, the last a mod-11 check digit (a number whose check digit does not match is 400 PARTY.ORGANISATION_NUMBER_INVALID)' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsOrganisationNumber()
  organisationNumber?: string | null;
}

export class RenamePartyDto {
  @Id()
  partyId!: string;

  @ApiProperty({ example: 'NAV Vestfold og Telemark' })
  @IsString() @IsNotEmpty() @IsNotBlank() @MaxLength(200) @IsPlainText()
  name!: string;

  @ApiPropertyOptional({ example: '2020-01-01', description: 'First day of the new name (default: today in Norway); answers about earlier days keep the name in force then' })
  @IsOptional() @Day()
  effectiveFrom?: string;
}
